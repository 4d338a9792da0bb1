/**
 * Content sniffing: what the first bytes of a file say it is, from a small table of well-known signatures, and
 * whether that clearly contradicts the declared MIME type (`MISMATCH_MIME_TYPE`).
 *
 * Only clear contradictions are refused: a declared type of another category than the bytes (a "PNG" that is
 * a PDF, a "text file" that is a zip). Within a category (a `.jpg` that is really a PNG, which browsers make
 * from the extension) the file is accepted as declared. Content no signature matches is accepted.
 */

/** Bytes to look at: enough for every signature below (SVG may start with a long XML prolog or comment). */
export const SNIFF_BYTES = 512;

interface Kind {
  /** A name for messages (`PDF document`). */
  name: string;
  /** The MIME type the bytes are, for messages and for imports without a usable type. */
  mime: string;
  /** Declared types that agree with these bytes. */
  accepts: (declared: string) => boolean;
}

const GENERIC = new Set([
  '',
  'application/octet-stream',
  'binary/octet-stream',
  'application/binary',
  'application/x-binary',
  'application/unknown',
  'application/force-download',
  'application/x-download',
]);

const isImage = (d: string) => d.startsWith('image/') && d !== 'image/svg+xml';
const isAudio = (d: string) => d.startsWith('audio/');
const isVideo = (d: string) => d.startsWith('video/');

const JPEG: Kind = { name: 'JPEG image', mime: 'image/jpeg', accepts: isImage };
const PNG: Kind = { name: 'PNG image', mime: 'image/png', accepts: isImage };
const GIF: Kind = { name: 'GIF image', mime: 'image/gif', accepts: isImage };
const WEBP: Kind = { name: 'WebP image', mime: 'image/webp', accepts: isImage };
const PDF: Kind = {
  name: 'PDF document',
  mime: 'application/pdf',
  // Illustrator files are PDFs inside.
  accepts: (d) =>
    ['application/pdf', 'application/x-pdf', 'application/postscript', 'application/illustrator'].includes(
      d,
    ) || d === 'application/vnd.adobe.illustrator',
};
const ZIP: Kind = {
  name: 'zip archive',
  mime: 'application/zip',
  // Office documents, EPUB, JAR, APK, USDZ, 3MF, sketch files... are zips: any application/* or model/* type
  // other than the ones with their own signature.
  accepts: (d) =>
    (d.startsWith('application/') && !PDF.accepts(d) && d !== 'application/ogg' && d !== 'application/mp4') ||
    d.startsWith('model/') ||
    d.endsWith('+zip'),
};
/** ISO base media (`ftyp`): MP4, MOV, M4A, 3GP, HEIC/HEIF, AVIF. */
const ISOBMFF: Kind = {
  name: 'MP4/QuickTime media',
  mime: 'video/mp4',
  accepts: (d) =>
    isVideo(d) ||
    isAudio(d) ||
    d === 'application/mp4' ||
    /^image\/(heic|heif|heic-sequence|heif-sequence|avif|avif-sequence)$/.test(d),
};
const MP3: Kind = { name: 'MP3 audio', mime: 'audio/mpeg', accepts: (d) => isAudio(d) || d === 'video/mpeg' };
const WAV: Kind = { name: 'WAV audio', mime: 'audio/wav', accepts: isAudio };
const OGG: Kind = {
  name: 'Ogg media',
  mime: 'audio/ogg',
  accepts: (d) => isAudio(d) || isVideo(d) || d === 'application/ogg',
};
const SVG: Kind = {
  name: 'SVG image',
  mime: 'image/svg+xml',
  accepts: (d) =>
    d === 'image/svg+xml' || d.startsWith('text/') || d === 'application/xml' || d.endsWith('+xml'),
};

const KINDS = [JPEG, PNG, GIF, WEBP, PDF, ZIP, ISOBMFF, MP3, WAV, OGG, SVG];

function startsWith(bytes: Buffer, signature: readonly number[], at = 0): boolean {
  if (bytes.length < at + signature.length) return false;
  return signature.every((b, i) => bytes[at + i] === b);
}

function ascii(bytes: Buffer, at: number, text: string): boolean {
  return bytes.length >= at + text.length && bytes.toString('latin1', at, at + text.length) === text;
}

/** What the bytes are, or undefined when no signature in the table matches. */
function detect(bytes: Buffer): Kind | undefined {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return JPEG;
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return PNG;
  if (ascii(bytes, 0, 'GIF87a') || ascii(bytes, 0, 'GIF89a')) return GIF;
  if (ascii(bytes, 0, 'RIFF') && ascii(bytes, 8, 'WEBP')) return WEBP;
  if (ascii(bytes, 0, 'RIFF') && ascii(bytes, 8, 'WAVE')) return WAV;
  if (ascii(bytes, 0, '%PDF-')) return PDF;
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) || startsWith(bytes, [0x50, 0x4b, 0x05, 0x06])) return ZIP;
  if (ascii(bytes, 4, 'ftyp')) return ISOBMFF;
  if (ascii(bytes, 0, 'ID3') || startsWith(bytes, [0xff, 0xfb]) || startsWith(bytes, [0xff, 0xf3]))
    return MP3;
  if (ascii(bytes, 0, 'OggS')) return OGG;
  const text = bytes
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trimStart();
  if (/^<(\?xml|svg|!--|!doctype svg)/i.test(text) && /<svg[\s>]/i.test(text)) return SVG;
  return undefined;
}

/** Declared types that are checked at all: media, text, and types some signature claims. */
function checkable(declared: string): boolean {
  if (/^(image|audio|video|text)\//.test(declared)) return true;
  return KINDS.some((kind) => kind.mime === declared);
}

export interface Mismatch {
  declared: string;
  detected: string;
  description: string;
}

/** The essence of a MIME type: lower-cased, without parameters. */
export function mimeEssence(mime: string): string {
  return (mime.split(';')[0] ?? '').trim().toLowerCase();
}

/** The MIME type the first bytes show, or undefined when no signature matches. */
export function sniffMime(head: Buffer): string | undefined {
  return detect(head)?.mime;
}

/**
 * How the first bytes of a file contradict its declared type, or undefined when they do not (or when nothing
 * is known about either).
 */
export function contentMismatch(declaredMime: string, head: Buffer): Mismatch | undefined {
  const declared = mimeEssence(declaredMime);
  if (GENERIC.has(declared)) return undefined;
  const kind = detect(head);
  if (!kind || kind.accepts(declared) || !checkable(declared)) return undefined;
  return {
    declared,
    detected: kind.mime,
    description: `The content is a ${kind.name} (${kind.mime}), not ${declared}`,
  };
}
