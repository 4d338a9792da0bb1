import type { FastifyReply, FastifyRequest } from 'fastify';
import { MEDIA_ROOT_ID, TRASH_ROOT_ID, VISITOR_UPLOADS_ROOT_ID } from '../../contract/index.ts';
import type { ApiError } from '../errors.ts';
import type { FileRow } from '../stores/schema.ts';
import { sendError } from './error-handler.ts';

/**
 * A download link that no longer works, opened in a browser, answers a small page for a person (what happened,
 * and a link to where a fresh one can be made) instead of the contract's JSON, which API clients keep getting:
 * content negotiation on `Accept`. Browsers navigating send `text/html` first; fetch, curl and the SDK do not.
 */
export function wantsHtml(request: FastifyRequest): boolean {
  const accept = request.headers.accept ?? '';
  const html = accept.indexOf('text/html');
  if (html < 0) return false;
  const json = accept.indexOf('application/json');
  return json < 0 || html < json;
}

/** Where the web app shows this file, its details open: Restore or Download there make a fresh link. */
export function appPathOfFile(row: Pick<FileRow, 'id' | 'location_id' | 'root' | 'state'>): string {
  const item = `?item=${encodeURIComponent(`file:${row.id}`)}`;
  const folder = encodeURIComponent(row.location_id);
  if (row.state === 'DELETED') {
    return row.location_id === TRASH_ROOT_ID ? `/trash${item}` : `/trash/${folder}${item}`;
  }
  if (row.root === 'VISITOR_UPLOADS_ROOT') {
    return row.location_id === VISITOR_UPLOADS_ROOT_ID
      ? `/visitor-uploads${item}`
      : `/visitor-uploads/${folder}${item}`;
  }
  return row.location_id === MEDIA_ROOT_ID ? `/${item}` : `/files/${folder}${item}`;
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);

export interface LinkPage {
  title: string;
  message: string;
  /** Where to go from here; none for a page read by someone who cannot sign in (a share link's recipient). */
  linkText?: string;
  href?: string;
}

/** The error as a page for a browser, or in the contract's shape for anyone else. */
export function sendLinkError(
  request: FastifyRequest,
  reply: FastifyReply,
  error: ApiError,
  page: LinkPage,
): FastifyReply {
  if (!wantsHtml(request)) return sendError(reply, error);
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(page.title)}</title>
<style>
  :root { color-scheme: light dark; font-family: system-ui, sans-serif; }
  body { margin: 0; min-height: 100vh; display: grid; place-items: center; background: Canvas; color: CanvasText; }
  main { max-width: 32rem; padding: 2rem; }
  h1 { font-size: 1.35rem; margin: 0 0 0.75rem; }
  p { line-height: 1.5; margin: 0 0 1.25rem; }
  a { display: inline-block; padding: 0.55rem 1rem; border-radius: 8px; background: #2457c5; color: #fff; text-decoration: none; }
  a:focus-visible { outline: 3px solid #8cb1ff; outline-offset: 2px; }
</style>
</head>
<body>
<main>
<h1>${escapeHtml(page.title)}</h1>
<p>${escapeHtml(page.message)}</p>
${page.href && page.linkText ? `<a href="${escapeHtml(page.href)}">${escapeHtml(page.linkText)}</a>` : ''}
</main>
</body>
</html>
`;
  return reply
    .status(error.status)
    .header('Content-Type', 'text/html; charset=utf-8')
    .header('Cache-Control', 'no-store')
    .header(
      'Content-Security-Policy',
      "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'",
    )
    .header('Vary', 'Accept')
    .send(html);
}
