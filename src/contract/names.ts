/**
 * Characters no name or label may hold, on the server and in the web app alike: C0 and C1 controls (NUL
 * included), the line and paragraph separators, and the bidirectional controls (embeddings and overrides
 * U+202A-U+202E, isolates U+2066-U+2069, the marks U+200E, U+200F and U+061C), which make a name display as
 * something else than it is: `invoice\u202Efdp.exe` shows as `invoiceexe.pdf`. Right-to-left text itself is
 * fine; only the invisible controls are refused.
 */
const FORBIDDEN_CHARACTERS =
  '\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029\\u200e\\u200f\\u061c\\u202a-\\u202e\\u2066-\\u2069';

const FORBIDDEN = new RegExp(`[${FORBIDDEN_CHARACTERS}]`, 'u');
const FORBIDDEN_ALL = new RegExp(`[${FORBIDDEN_CHARACTERS}]`, 'gu');

/** Whether `text` holds a character no name or label may hold. */
export function hasForbiddenCharacter(text: string): boolean {
  return FORBIDDEN.test(text);
}

/** `text` with each character no name may hold replaced (for names made from outside text: URLs, zip entries). */
export function replaceForbiddenCharacters(text: string, replacement: string): string {
  return text.replace(FORBIDDEN_ALL, replacement);
}
