import contentDisposition from 'content-disposition';
import type { FastifyReply, FastifyRequest } from 'fastify';
import rangeParser from 'range-parser';
import type { BlobStore } from '../blobs/blob-store.ts';
import type { FileRow } from '../stores/schema.ts';

/**
 * User content never runs on the app's origin: `sandbox` gives an uploaded HTML or SVG opened directly a unique
 * opaque origin with scripts disabled, and nosniff stops a browser from guessing a script type.
 */
export const USER_CONTENT_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy': "sandbox; default-src 'none'; img-src 'self' data:; media-src 'self'; style-src 'unsafe-inline'",
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Referrer-Policy': 'no-referrer',
} as const;

export interface ServeOptions {
  file: FileRow;
  blobKey: string;
  disposition: 'attachment' | 'inline';
  downloadName: string;
  cacheControl: string;
}

/** Sends a blob with Range support (one range; several ranges get the whole file, as RFC 9110 allows). */
export async function serveBlob(
  request: FastifyRequest,
  reply: FastifyReply,
  blobs: BlobStore,
  options: ServeOptions,
): Promise<FastifyReply> {
  const { file } = options;
  const size = file.size_in_bytes;
  const etag = `"${file.hash}"`;
  void reply.headers({
    ...USER_CONTENT_HEADERS,
    'Content-Type': file.mime_type,
    'Content-Disposition': contentDisposition(options.downloadName, { type: options.disposition }),
    'Accept-Ranges': 'bytes',
    ETag: etag,
    'Last-Modified': new Date(file.created_date).toUTCString(),
    'Cache-Control': options.cacheControl,
  });
  if (request.headers['if-none-match'] === etag) return reply.status(304).send();

  let range: { start: number; end: number } | undefined;
  const header = request.headers.range;
  const ifRange = request.headers['if-range'];
  if (header && (ifRange === undefined || ifRange === etag)) {
    const parsed = rangeParser(size, header, { combine: true });
    if (parsed === -1) {
      return reply.status(416).header('Content-Range', `bytes */${size}`).send();
    }
    if (parsed !== -2 && parsed.type === 'bytes' && parsed.length === 1 && parsed[0]) {
      range = { start: parsed[0].start, end: parsed[0].end };
    }
  }
  if (range) {
    void reply.status(206).header('Content-Range', `bytes ${range.start}-${range.end}/${size}`);
    void reply.header('Content-Length', range.end - range.start + 1);
  } else {
    void reply.header('Content-Length', size);
  }
  if (request.method === 'HEAD') return reply.send();
  const stream = await blobs.get(options.blobKey, range);
  return reply.send(stream);
}
