import fsp from 'node:fs/promises';

/**
 * Which ffmpeg demuxer may open an uploaded video or audio file, from its first bytes.
 *
 * ffmpeg left to guess would open whatever the bytes look like, and several demuxers read other files: an HLS
 * playlist (`#EXTM3U`) or a concat list names files (`../../../blobs/...`, `/etc/...`, `http://...`) whose
 * frames would become the uploader's renditions. So the container is sniffed here, ffmpeg and ffprobe are
 * pinned to its one demuxer (`-f`, `-format_whitelist`) with `-protocol_whitelist file`, and content that is
 * a playlist, or no container in this table, is refused before any tool runs.
 */

export interface Container {
  /** For messages: `MP4/QuickTime`. */
  name: string;
  /** The ffmpeg demuxer (`-f`, `-format_whitelist`). */
  demuxer: string;
  /** The demuxer's full name, as ffprobe reports it in `format.format_name`. */
  formatName: string;
  /** What it may hold: a file declared as video in an audio-only container is refused. */
  holds: 'video' | 'audio' | 'both';
}

/** Content processing refuses, with a reason the file's owner can read. */
export class RefusedInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RefusedInputError';
  }
}

const c = (name: string, demuxer: string, holds: Container['holds'], formatName = demuxer): Container => ({
  name,
  demuxer,
  formatName,
  holds,
});

const MOV = c('MP4/QuickTime', 'mov', 'both', 'mov,mp4,m4a,3gp,3g2,mj2');
const MATROSKA = c('Matroska/WebM', 'matroska', 'both', 'matroska,webm');
const AVI = c('AVI', 'avi', 'both');
const MPEGTS = c('MPEG transport stream', 'mpegts', 'both');
const MPEGPS = c('MPEG program stream', 'mpeg', 'both');
const OGG = c('Ogg', 'ogg', 'both');
const FLV = c('Flash video', 'flv', 'both');
const ASF = c('Windows Media', 'asf', 'both');
const MXF = c('MXF', 'mxf', 'both');
const MP3 = c('MP3', 'mp3', 'audio');
const AAC = c('AAC (ADTS)', 'aac', 'audio');
const WAV = c('WAV', 'wav', 'audio');
const FLAC = c('FLAC', 'flac', 'audio');
const AIFF = c('AIFF', 'aiff', 'audio');
const AMR = c('AMR', 'amr', 'audio');
const CAF = c('Core Audio', 'caf', 'audio');

/** Bytes read to sniff: a transport stream is recognised by several packets in a row. */
const HEAD_BYTES = 4096;

const ascii = (bytes: Buffer, at: number, text: string) =>
  bytes.length >= at + text.length && bytes.toString('latin1', at, at + text.length) === text;

const ASF_GUID = Buffer.from('3026b2758e66cf11a6d900aa0062ce6c', 'hex');
const MXF_KEY = Buffer.from('060e2b34020501010d010201', 'hex');
/** Top-level QuickTime atoms a file may start with (old QuickTime files have no `ftyp`). */
const QT_ATOMS = ['ftyp', 'moov', 'mdat', 'wide', 'free', 'skip', 'pnot'];

/** Every `stride` bytes from `at`, the MPEG-TS sync byte, at least three times. */
function syncEvery(bytes: Buffer, at: number, stride: number): boolean {
  let seen = 0;
  for (let i = at; i < bytes.length; i += stride) {
    if (bytes[i] !== 0x47) return false;
    seen++;
  }
  return seen >= 3;
}

function detect(bytes: Buffer): Container | undefined {
  if (QT_ATOMS.some((atom) => ascii(bytes, 4, atom))) return MOV;
  if (bytes.subarray(0, 4).equals(Buffer.from([0x1a, 0x45, 0xdf, 0xa3]))) return MATROSKA;
  if (ascii(bytes, 0, 'RIFF') && ascii(bytes, 8, 'AVI ')) return AVI;
  if (
    (ascii(bytes, 0, 'RIFF') || ascii(bytes, 0, 'RF64') || ascii(bytes, 0, 'BW64')) &&
    ascii(bytes, 8, 'WAVE')
  )
    return WAV;
  if (ascii(bytes, 0, 'OggS')) return OGG;
  if (ascii(bytes, 0, 'fLaC')) return FLAC;
  if (ascii(bytes, 0, 'FORM') && (ascii(bytes, 8, 'AIFF') || ascii(bytes, 8, 'AIFC'))) return AIFF;
  if (ascii(bytes, 0, '#!AMR')) return AMR;
  if (ascii(bytes, 0, 'caff')) return CAF;
  if (ascii(bytes, 0, 'FLV') && bytes[3] === 1) return FLV;
  if (bytes.subarray(0, 16).equals(ASF_GUID)) return ASF;
  if (bytes.subarray(0, 12).equals(MXF_KEY)) return MXF;
  if (bytes.subarray(0, 4).equals(Buffer.from([0, 0, 1, 0xba]))) return MPEGPS;
  if (syncEvery(bytes, 0, 188) || syncEvery(bytes, 4, 192)) return MPEGTS;
  if (bytes[0] === 0xff && bytes.length > 1) {
    const second = bytes[1]!;
    // ADTS: 12 sync bits, layer 00. MPEG audio: 11 sync bits, layer not 00.
    if ((second & 0xf6) === 0xf0) return AAC;
    if ((second & 0xe0) === 0xe0 && (second & 0x06) !== 0) return MP3;
  }
  return undefined;
}

/** Text that lists other files or streams: named in the reason the owner sees. */
function playlistKind(bytes: Buffer): string | undefined {
  const text = bytes
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trimStart();
  if (/^#EXTM3U/i.test(text)) return 'an HLS/M3U playlist';
  if (/^ffconcat/i.test(text)) return 'an ffconcat script';
  if (/^(#.*\r?\n\s*)*file\s/i.test(text)) return 'a concat list';
  if (/^v=0\s/.test(text)) return 'an SDP session description';
  if (/^\[playlist\]/i.test(text)) return 'a PLS playlist';
  if (/^<\?xml[^>]*>\s*<(MPD|smil|playlist|ASX)\b/i.test(text) || /^<(MPD|smil|playlist|asx)\b/i.test(text))
    return 'an XML playlist (DASH, SMIL, XSPF or ASX)';
  if (/^#EXT|^(https?|rtsp|rtmp|file|concat|subfile|data):/im.test(text)) return 'a playlist';
  return undefined;
}

/** An ID3v2 tag's length, header included, or 0 (tags precede MP3, and sometimes AAC or FLAC). */
function id3Length(bytes: Buffer): number {
  if (!ascii(bytes, 0, 'ID3') || bytes.length < 10) return 0;
  const size =
    ((bytes[6]! & 0x7f) << 21) | ((bytes[7]! & 0x7f) << 14) | ((bytes[8]! & 0x7f) << 7) | (bytes[9]! & 0x7f);
  return 10 + size + (bytes[5]! & 0x10 ? 10 : 0);
}

async function readAt(file: string, position: number, length: number): Promise<Buffer> {
  const handle = await fsp.open(file, 'r');
  try {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, position);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/**
 * The container of a file declared as `kind`, or a `RefusedInputError` saying why it is not processed: a
 * playlist, a format this table does not know, or audio declared as a video.
 */
export async function sniffContainer(file: string, kind: 'video' | 'audio'): Promise<Container> {
  let head = await readAt(file, 0, HEAD_BYTES);
  const tag = id3Length(head);
  let container: Container | undefined;
  if (tag > 0) {
    head = await readAt(file, tag, HEAD_BYTES);
    // What follows a tag is nearly always MP3 frames, which need not start at the tag's very end.
    container = detect(head) ?? MP3;
  } else {
    container = detect(head);
  }
  const noun = kind === 'video' ? 'video' : 'audio file';
  if (!container) {
    const playlist = playlistKind(head);
    if (playlist) {
      throw new RefusedInputError(
        `This ${noun} is ${playlist}, not a media file: playlists are not processed. Upload the media itself`,
      );
    }
    throw new RefusedInputError(
      `This ${noun} could not be processed: its content is not a video or audio format the server reads`,
    );
  }
  if (kind === 'video' && container.holds === 'audio') {
    throw new RefusedInputError(`This video could not be processed: its content is ${container.name} audio`);
  }
  return container;
}

/**
 * ffmpeg/ffprobe input options that open `file` with the container's demuxer only, through the file protocol
 * only: no other demuxer may take over (a playlist inside), no other file or URL may be opened.
 */
export function pinnedInput(container: Container, file: string): string[] {
  return [
    ...['-f', container.demuxer, '-format_whitelist', container.demuxer],
    ...['-protocol_whitelist', 'file', '-i', `file:${file}`],
  ];
}

/** The check after ffprobe: the demuxer it used is the one the sniffed container pinned. */
export function checkProbedFormat(
  container: Container,
  formatName: string | undefined,
  kind: 'video' | 'audio',
) {
  if (formatName !== container.formatName) {
    throw new RefusedInputError(
      `This ${kind === 'video' ? 'video' : 'audio file'} could not be processed: its content looks like ` +
        `${container.name} but does not read as it`,
    );
  }
}

/** Our own MP4 renditions, opened again (HLS, poster): pinned like uploads. */
export const MP4_RENDITION = MOV;
