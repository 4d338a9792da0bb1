import { useEffect, useState } from 'react';

const KEY = 'smm.details';
/** Where the details are a bottom sheet over the grid, not a column beside it (matches styles.css). */
export const SHEET_QUERY = '(max-width: 900px)';

function isSheet(): boolean {
  return typeof window.matchMedia === 'function' && window.matchMedia(SHEET_QUERY).matches;
}

/**
 * Whether the details panel is shown. On a wide screen it is a column the user opens or closes for good (the
 * choice is remembered, so a click never reflows the grid under the pointer). On a phone it is a sheet that
 * closes for the item it shows only: the next item chosen opens it again (closing it once used to hide the
 * details for good, with no visible way back).
 */
export function useDetailsOpen(item: string | null): [boolean, (open: boolean) => void] {
  const [open, setOpen] = useState(() => {
    if (isSheet()) return true;
    try {
      return localStorage.getItem(KEY) !== 'closed';
    } catch {
      return true;
    }
  });
  useEffect(() => {
    if (item && isSheet()) setOpen(true);
  }, [item]);
  const show = (next: boolean) => {
    setOpen(next);
    if (isSheet()) return;
    try {
      localStorage.setItem(KEY, next ? 'open' : 'closed');
    } catch {
      // Private mode: remembered for this page only.
    }
  };
  return [open, show];
}
