import contentDisposition from 'content-disposition';
import type { FastifyReply, FastifyRequest } from 'fastify';
import rangeParser from 'range-parser';
import { Readable } from 'node:stream';
import type { ByteRange } from '../blobs/blob-store.ts';
import { ApiError } from '../errors.ts';
import type { MediaService } from '../services/media-service.ts';
import type { ServedBlob } from '../services/served-blob.ts';

/**
 * User content never runs on the app's origin: `sandbox` gives an uploaded HTML or SVG opened directly a unique
 * opaque origin with scripts disabled, and nosniff stops a browser from guessing a script type.
 */
export const USER_CONTENT_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy':
    "sandbox; default-src 'none'; img-src 'self' data:; media-src 'self'; style-src 'unsafe-inline'",
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Referrer-Policy': 'no-referrer',
} as const;

/**
 * Public media is meant to be embedded by the site owner's pages on their own domain: `<img>`/`<video>` need
 * CORP `cross-origin`, and hls.js's fetch() of the playlist and segments needs CORS. `*` and never credentials:
 * the bytes are public already, and no cookie or key ever unlocks anything here. The Range headers are exposed
 * so a player on another origin can seek.
 */
export const PUBLIC_MEDIA_HEADERS = {
  ...USER_CONTENT_HEADERS,
  'Cross-Origin-Resource-Policy': 'cross-origin',
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Expose-Headers': 'Content-Range, Content-Length, Accept-Ranges, ETag, Last-Modified',
} as const;

/** The answer to a CORS preflight for public media: plain reads, with the headers a player sends. */
export const PUBLIC_MEDIA_PREFLIGHT_HEADERS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, HEAD, OPTIONS',
  'Access-Control-Allow-Headers': 'Range, If-Range, If-None-Match, If-Modified-Since',
  'Access-Control-Max-Age': '86400',
} as const;

export interface ServeOptions {
  blob: ServedBlob;
  disposition: 'attachment' | 'inline';
  downloadName: string;
  cacheControl: string;
  /**
   * Public media, loadable from any origin (`PUBLIC_MEDIA_HEADERS`). Everything else (signed downloads and
   * streams, a private file's signed thumbnail) is same-origin only: a capability URL is not for embedding.
   */
  embeddable?: boolean;
}

/** Sends a blob with Range support (one range; several ranges get the whole file, as RFC 9110 allows). */
export async function serveBlob(
  request: FastifyRequest,
  reply: FastifyReply,
  media: MediaService,
  options: ServeOptions,
): Promise<FastifyReply> {
  const { blob } = options;
  const { size, etag } = blob;
  const common = {
    ...(options.embeddable ? PUBLIC_MEDIA_HEADERS : USER_CONTENT_HEADERS),
    ETag: etag,
    'Cache-Control': options.cacheControl,
  };
  if (request.headers['if-none-match'] === etag) return reply.status(304).headers(common).send();

  let range: ByteRange | undefined;
  const header = request.headers.range;
  const ifRange = request.headers['if-range'];
  if (header && (ifRange === undefined || ifRange === etag)) {
    const parsed = rangeParser(size, header, { combine: true });
    if (parsed === -1) {
      return reply.status(416).headers(common).header('Content-Range', `bytes */${size}`).send();
    }
    if (parsed !== -2 && parsed.type === 'bytes' && parsed.length === 1 && parsed[0]) {
      range = { start: parsed[0].start, end: parsed[0].end };
    }
  }

  // Open the bytes before any header is set, so a missing blob is a clean 404 and not a half-made download.
  let stream: Readable | undefined;
  if (request.method !== 'HEAD') {
    stream = await media.open(blob, range);
    if (!stream) {
      request.log.error({ fileId: blob.fileId, blobKey: blob.key }, 'the bytes of a file are missing');
      throw new ApiError('RESOURCE_NOT_FOUND', `The bytes of file ${blob.fileId} are missing`);
    }
  }

  void reply.headers({
    ...common,
    'Content-Type': blob.mimeType,
    'Content-Disposition': contentDisposition(options.downloadName, { type: options.disposition }),
    'Accept-Ranges': 'bytes',
    'Last-Modified': new Date(blob.lastModified).toUTCString(),
    'Content-Length': range ? range.end - range.start + 1 : size,
  });
  if (range) void reply.status(206).header('Content-Range', `bytes ${range.start}-${range.end}/${size}`);
  // HEAD: an empty stream keeps the Content-Length set above (Fastify's HEAD hook only drains it).
  return reply.send(stream ?? Readable.from([]));
}
