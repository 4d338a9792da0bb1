import { useEffect, useRef, useState, type ComponentType, type ReactNode, type RefObject } from 'react';
import { whenIdle } from './when-idle';

/** What a menu loaded on demand is told when it replaces its stand-in. */
export interface OnDemandMenuProps {
  /** The stand-in was pressed while the menu loaded: open at once. */
  defaultOpen?: boolean;
  /** The stand-in had the keyboard focus: the real trigger takes it over. */
  autoFocus?: boolean;
}

/** Focuses the trigger once on mount when its stand-in had the focus (and the menu does not open over it). */
export function useTakeOverFocus(trigger: RefObject<HTMLElement | null>, props: OnDemandMenuProps) {
  const { autoFocus, defaultOpen } = props;
  useEffect(() => {
    if (autoFocus && !defaultOpen) trigger.current?.focus();
    // Once, when the real menu replaces the stand-in.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
}

export interface StandIn {
  className: string;
  ariaLabel: string;
  children: ReactNode;
  disabled?: boolean;
}

/**
 * A dropdown menu (Radix, with floating-ui) that is not part of the first screen's JavaScript: until it has
 * loaded, a plain button that looks the same as its trigger stands in. The menu loads when the browser is idle
 * after the first screen, or at once when the stand-in is pressed, and then opens where it was pressed.
 */
export function onDemandMenu<P extends object>(
  load: () => Promise<ComponentType<P & OnDemandMenuProps>>,
  standIn: (props: P) => StandIn,
): ComponentType<P> {
  let loaded: ComponentType<P & OnDemandMenuProps> | null = null;
  let loading: Promise<ComponentType<P & OnDemandMenuProps>> | null = null;
  const get = () =>
    (loading ??= load()
      .then((component) => (loaded = component))
      .catch((error: unknown) => {
        loading = null; // a failed fetch (offline, new deploy) is tried again at the next press
        throw error;
      }));

  return function OnDemandMenu(props: P) {
    const [Menu, setMenu] = useState(() => loaded);
    const [openAtLoad, setOpenAtLoad] = useState(false);
    const hadFocus = useRef(false);
    const mounted = useRef(true);
    useEffect(() => {
      mounted.current = true;
      return () => {
        mounted.current = false;
      };
    }, []);
    const request = () =>
      get().then(
        (component) => mounted.current && setMenu(() => component),
        () => undefined,
      );
    useEffect(() => (Menu ? undefined : whenIdle(() => void request())), [Menu]);

    if (Menu) return <Menu {...props} defaultOpen={openAtLoad} autoFocus={hadFocus.current} />;
    const look = standIn(props);
    const open = () => {
      setOpenAtLoad(true);
      void request();
    };
    return (
      <button
        type="button"
        className={look.className}
        aria-label={look.ariaLabel}
        disabled={look.disabled}
        aria-haspopup="menu"
        aria-expanded={false}
        data-state="closed"
        // As Radix's trigger: a primary press opens (on pointer down), as do Enter, Space and ArrowDown.
        onPointerDown={(event) => {
          if (event.button !== 0 || event.ctrlKey) return;
          event.preventDefault();
          open();
        }}
        onKeyDown={(event) => {
          if (event.key !== 'Enter' && event.key !== ' ' && event.key !== 'ArrowDown') return;
          event.preventDefault();
          open();
        }}
        onFocus={() => (hadFocus.current = true)}
        onBlur={() => (hadFocus.current = false)}
      >
        {look.children}
      </button>
    );
  };
}
