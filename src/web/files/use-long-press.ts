import { useRef, type MouseEvent, type PointerEvent } from 'react';

/** How long a finger rests on a tile before it counts as a long-press (Android's own long-press is ~500 ms). */
const HOLD_MS = 500;
/** A finger that moves further than this is scrolling, not pressing. */
const SLOP_PX = 10;

/**
 * Long-press on touch screens: fires `onLongPress` once a finger has rested on the element, and swallows the
 * click (and the context menu) that the same touch would otherwise cause. Mouse and pen are left alone.
 */
export function useLongPress(onLongPress: (() => void) | undefined) {
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const start = useRef<{ x: number; y: number } | null>(null);
  const fired = useRef(false);

  const cancel = () => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    start.current = null;
  };

  if (!onLongPress) return { handlers: {}, consumeClick: () => false };

  const handlers = {
    onPointerDown: (event: PointerEvent) => {
      if (event.pointerType !== 'touch') return;
      fired.current = false;
      start.current = { x: event.clientX, y: event.clientY };
      timer.current = setTimeout(() => {
        fired.current = true;
        timer.current = null;
        onLongPress();
      }, HOLD_MS);
    },
    onPointerMove: (event: PointerEvent) => {
      const origin = start.current;
      if (origin && Math.hypot(event.clientX - origin.x, event.clientY - origin.y) > SLOP_PX) cancel();
    },
    onPointerUp: cancel,
    onPointerCancel: cancel,
    onContextMenu: (event: MouseEvent) => {
      if (fired.current || timer.current) event.preventDefault();
    },
  };
  /** True (once) when the click at hand ends a long-press and must not act as a tap. */
  const consumeClick = () => {
    const was = fired.current;
    fired.current = false;
    return was;
  };
  return { handlers, consumeClick };
}
