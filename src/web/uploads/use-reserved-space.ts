import { useCallback, useRef } from 'react';

/** The CSS variable the page layout leaves free at the bottom for the upload tray (see `.browser`). */
export const TRAY_SPACE_VAR = '--upload-tray-space';

/**
 * A ref for the upload tray: while it is on screen, its height (plus its margin) is published as
 * `--upload-tray-space` on the document, and the browser's layout makes that much room at the bottom. The tray
 * floats over the page, so without this it hid the details panel's buttons until "Clear" was pressed.
 */
export function useReservedSpace<T extends HTMLElement>(): (element: T | null) => void {
  const observer = useRef<ResizeObserver | null>(null);
  return useCallback((element: T | null) => {
    observer.current?.disconnect();
    observer.current = null;
    const root = document.documentElement;
    if (!element) {
      root.style.removeProperty(TRAY_SPACE_VAR);
      return;
    }
    const publish = () => {
      const box = element.getBoundingClientRect();
      // The tray's distance from the bottom of the window counts too (its `bottom` offset).
      const space = Math.max(0, window.innerHeight - box.top);
      root.style.setProperty(TRAY_SPACE_VAR, `${Math.ceil(space)}px`);
    };
    publish();
    observer.current = new ResizeObserver(publish);
    observer.current.observe(element);
  }, []);
}
