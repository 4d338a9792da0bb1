import { replaceForbiddenCharacters } from '../../contract/index.ts';

/*
 * Entry names of a zip: one safe path segment per name ("zip slip"), within the byte limits of file systems and
 * of the zip format, and unique in its directory.
 */

/** Bytes of one path segment: what common file systems (ext4, APFS, NTFS) accept. */
const SEGMENT_BYTES_MAX = 255;

export function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** The longest prefix of `text` that fits in `max` UTF-8 bytes, cut between code points. */
function truncateUtf8(text: string, max: number): string {
  if (byteLength(text) <= max) return text;
  let out = '';
  let bytes = 0;
  for (const char of text) {
    const size = byteLength(char);
    if (bytes + size > max) break;
    out += char;
    bytes += size;
  }
  return out;
}

/** `name.ext` → [`name`, `.ext`]; no extension for folders, dot-files or absurdly long "extensions". */
function splitExtension(name: string, isFile: boolean): [string, string] {
  const dot = isFile ? name.lastIndexOf('.') : -1;
  if (dot <= 0 || byteLength(name.slice(dot)) > 32) return [name, ''];
  return [name.slice(0, dot), name.slice(dot)];
}

/** `base` cut so that `base + tail` fits one path segment. */
function fitSegment(base: string, tail: string): string {
  return truncateUtf8(base, SEGMENT_BYTES_MAX - byteLength(tail)).trimEnd() + tail;
}

/**
 * One path segment that every unzip tool extracts where it belongs. The server's names are validated already
 * (no control characters, slashes, `.` or `..`), but rows may predate a rule, and an entry name is the one
 * place where a bad name turns into a file written outside the target directory ("zip slip"): so check again.
 */
export function sanitizeSegment(name: string, isFile: boolean): string {
  let clean = replaceForbiddenCharacters(name.normalize('NFC'), '_')
    .replace(/[/\\]/g, '_')
    // `C:name` is a drive-relative path on Windows, and yazl refuses it as absolute.
    .replace(/^([A-Za-z]):/, '$1_')
    .trim();
  if (clean === '') clean = 'unnamed';
  if (clean === '.' || clean === '..') clean = clean.replace(/\./g, '_');
  if (byteLength(clean) > SEGMENT_BYTES_MAX) {
    const [base, ext] = splitExtension(clean, isFile);
    clean = fitSegment(base, ext);
  }
  return clean;
}

/**
 * The names of one directory of the zip. Two entries must never share a name: an unzip would overwrite one
 * with the other, or fail. Names are compared case-insensitively, since the zip may be extracted on a
 * case-insensitive file system (Windows, macOS); the later one becomes `name (2).ext`, `name (3).ext`...
 */
export class DirectoryNames {
  private readonly taken = new Set<string>();

  take(name: string, isFile: boolean): string {
    if (this.claim(name)) return name;
    const [base, ext] = splitExtension(name, isFile);
    for (let n = 2; ; n++) {
      const candidate = fitSegment(base, ` (${n})${ext}`);
      if (this.claim(candidate)) return candidate;
    }
  }

  private claim(name: string): boolean {
    const key = name.toLowerCase();
    if (this.taken.has(key)) return false;
    this.taken.add(key);
    return true;
  }
}
