import { useEffect, useRef } from 'react';

/**
 * Where focus goes when a dialog closes. Radix returns focus to a `Trigger`; dialogs opened by a key or a menu
 * have none, so remember what had the focus when the dialog opened and go back there (or to the grid's
 * current item when that element is gone, e.g. a renamed or deleted tile).
 */
export function useReturnFocus(open: boolean): (event: Event) => void {
  const saved = useRef<HTMLElement | null>(null);
  useEffect(() => {
    if (open && document.activeElement instanceof HTMLElement && document.activeElement !== document.body) {
      saved.current = document.activeElement;
    }
  }, [open]);
  return (event: Event) => {
    event.preventDefault();
    const target =
      saved.current?.isConnected === true
        ? saved.current
        : document.querySelector<HTMLElement>('[role="grid"] [role="gridcell"][tabindex="0"]');
    saved.current = null;
    target?.focus({ preventScroll: true });
  };
}
