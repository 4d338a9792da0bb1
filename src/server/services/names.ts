/**
 * Rules for display names and labels. A name is one path segment: it never holds control characters (NUL
 * included), slashes or backslashes, is never `.` or `..`, and has no leading or trailing whitespace.
 * Returns what is wrong, or null when the name is fine.
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

export function nameProblem(name: string, max: number): string | null {
  if (name.length === 0) return 'must not be empty';
  if (name.trim() !== name) return 'must not start or end with whitespace';
  if ([...name].length > max) return `must be at most ${max} characters`;
  if (CONTROL.test(name)) return 'must not contain control characters';
  if (/[/\\]/.test(name)) return 'must not contain / or \\';
  if (name === '.' || name === '..') return 'must not be . or ..';
  return null;
}

export function labelProblem(label: string, max: number): string | null {
  if (label.trim().length === 0) return 'must not be empty';
  if ([...label].length > max) return `must be at most ${max} characters`;
  if (CONTROL.test(label)) return 'must not contain control characters';
  return null;
}
