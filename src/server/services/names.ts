import { hasForbiddenCharacter } from '../../contract/index.ts';

/**
 * Rules for display names and labels. A name is one path segment: it never holds control characters (NUL
 * included, and the bidirectional controls: `hasForbiddenCharacter`), slashes or backslashes, is never `.` or
 * `..`, and has no leading or trailing whitespace. Returns what is wrong, or null when the name is fine.
 */

export function nameProblem(name: string, max: number): string | null {
  if (name.length === 0) return 'must not be empty';
  if (name.trim() !== name) return 'must not start or end with whitespace';
  if ([...name].length > max) return `must be at most ${max} characters`;
  if (hasForbiddenCharacter(name)) return 'must not contain control characters';
  if (/[/\\]/.test(name)) return 'must not contain / or \\';
  if (name === '.' || name === '..') return 'must not be . or ..';
  return null;
}

export function labelProblem(label: string, max: number): string | null {
  if (label.trim().length === 0) return 'must not be empty';
  if ([...label].length > max) return `must be at most ${max} characters`;
  if (hasForbiddenCharacter(label)) return 'must not contain control characters';
  return null;
}
