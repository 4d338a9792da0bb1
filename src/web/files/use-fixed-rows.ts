import { useCallback, useLayoutEffect, useRef, useState, type RefObject } from 'react';

export interface VirtualRow {
  index: number;
  /** Top of the row in the rows' container, in px. */
  start: number;
}

interface Range {
  first: number;
  last: number;
}

/**
 * Which rows of a long list of equal-height rows are in view (and `overscan` around them): the grid renders only
 * those. All rows have one height, so where any row is follows from its index; this replaces a general
 * virtualiser (react-virtual, 12 kB gzipped of the first screen) with arithmetic. The state changes only when the
 * range of rows does, not on every scroll event.
 */
export function useFixedRows(options: {
  scrollRef: RefObject<HTMLElement | null>;
  count: number;
  rowHeight: number;
  overscan: number;
  /** Height of what sits above the rows inside the scroll element, kept in view (the list view's sticky header). */
  stickyTop: number;
}) {
  const { scrollRef, count, rowHeight, overscan, stickyTop } = options;
  const [range, setRange] = useState<Range>({ first: 0, last: -1 });
  const latest = useRef(options);
  latest.current = options;

  const update = useCallback(() => {
    const element = latest.current.scrollRef.current;
    if (!element) return;
    const { count: n, rowHeight: height, overscan: extra } = latest.current;
    const top = element.scrollTop;
    const first = Math.max(0, Math.floor(top / height) - extra);
    const last = Math.min(n - 1, Math.ceil((top + element.clientHeight) / height) + extra - 1);
    setRange((current) => (current.first === first && current.last === last ? current : { first, last }));
  }, []);

  useLayoutEffect(() => {
    const element = scrollRef.current;
    if (!element) return;
    element.addEventListener('scroll', update, { passive: true });
    const observer = new ResizeObserver(update);
    observer.observe(element);
    return () => {
      element.removeEventListener('scroll', update);
      observer.disconnect();
    };
  }, [scrollRef, update]);
  useLayoutEffect(update, [count, rowHeight, overscan, update]);

  const rows: VirtualRow[] = [];
  for (let index = range.first; index <= Math.min(range.last, count - 1); index++)
    rows.push({ index, start: index * rowHeight });

  /** Scrolls row `index` to the top (`start`), or just into view when it is not (`auto`). */
  const scrollToRow = useCallback(
    (index: number, align: 'start' | 'auto') => {
      const element = scrollRef.current;
      if (!element) return;
      const top = index * rowHeight;
      if (align === 'start' || top < element.scrollTop) element.scrollTop = top;
      else if (stickyTop + top + rowHeight > element.scrollTop + element.clientHeight)
        element.scrollTop = stickyTop + top + rowHeight - element.clientHeight;
    },
    [scrollRef, rowHeight, stickyTop],
  );

  return { rows, totalSize: count * rowHeight, scrollToRow, range };
}
