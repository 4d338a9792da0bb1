const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'] as const;

/** "15359" -> "15 KB" (1 KB = 1024 B). Sizes come as strings (64-bit numbers on the wire). */
export function formatBytes(size: string | number): string {
  let value = typeof size === 'number' ? size : Number(size);
  if (!Number.isFinite(value) || value < 0) return '';
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = unit === 0 || value >= 10 ? 0 : 1;
  return `${value.toFixed(digits)} ${UNITS[unit]}`;
}

const DATE_FORMAT = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** An ISO timestamp in the user's locale, e.g. "Nov 23, 2026, 1:05 PM". */
export function formatDate(iso: string): string {
  const time = Date.parse(iso);
  return Number.isNaN(time) ? '' : DATE_FORMAT.format(time);
}
