import fs from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';

/**
 * The media picker other sites embed (docs/picker.md): `GET /picker?origin=<host page origin>` is the web app in
 * picker mode. It is the one page that may be framed, and only by the origin it reports its result to, which
 * must be in `PICKER_ALLOWED_ORIGINS`; every other page keeps `frame-ancestors 'none'` and `X-Frame-Options`.
 */
export const PICKER_PATH = '/picker';

/** The app's CSP with the given `frame-ancestors` source list. */
export function appCsp(frameAncestors: string): string {
  return (
    "default-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; style-src 'self' 'unsafe-inline'; " +
    `script-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors ${frameAncestors}`
  );
}

/**
 * The host page's origin as given, when it is one of the allowed ones. Compared as parsed origins, so
 * `https://Editor.example.com/` and `https://editor.example.com` are the same page owner.
 */
export function allowedPickerOrigin(value: unknown, allowed: readonly string[]): string | null {
  if (typeof value !== 'string' || value === '' || value.length > 2000) return null;
  let origin: string;
  try {
    origin = new URL(value).origin;
  } catch {
    return null;
  }
  return allowed.includes(origin) ? origin : null;
}

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}

/**
 * The refusal: a page the host's developer can read where the picker would be. It may be framed by anyone (it has
 * no actions and no data: nothing to click-jack), so the reason shows inside the host's frame instead of a bare
 * browser error.
 */
function sendRefusal(reply: FastifyReply, origin: unknown): FastifyReply {
  const given = typeof origin === 'string' && origin !== '' ? origin.slice(0, 200) : null;
  const reason = given
    ? `The page at <code>${escapeHtml(given)}</code> is not allowed to use the media picker.`
    : 'The picker was opened without an <code>origin=</code> parameter naming the page that uses it.';
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Media picker not allowed here</title>
<style>
  :root { color-scheme: light dark; font-family: system-ui, sans-serif; }
  body { margin: 0; padding: 2rem 1.5rem; line-height: 1.5; max-width: 40rem; }
  code { font-size: 0.95em; background: color-mix(in srgb, currentColor 10%, transparent); padding: 0 0.25em; border-radius: 3px; }
</style></head>
<body><main>
<h1>Media picker not allowed here</h1>
<p id="reason">${reason}</p>
<p>To allow it, add that page's origin (scheme, host and port, like <code>https://editor.example.com</code>) to the
<code>PICKER_ALLOWED_ORIGINS</code> setting of the Site Media Manager server (a comma list), and restart it. Open the
picker with <code>picker.js</code>, which passes <code>origin=</code> for you.</p>
</main></body></html>
`;
  return reply
    .code(403)
    .header('Content-Type', 'text/html; charset=utf-8')
    .header('Cache-Control', 'no-store')
    .header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors *")
    .send(html);
}

/** Files of the web app other sites load: the picker's client module and its types. */
const CROSS_ORIGIN_FILES: Record<string, string> = {
  '/picker.js': 'text/javascript; charset=utf-8',
  '/picker.d.ts': 'text/plain; charset=utf-8',
};

export function registerPickerRoutes(
  app: FastifyInstance,
  options: { allowedOrigins: readonly string[]; staticDir: string | undefined },
): void {
  app.get(PICKER_PATH, async (request, reply) => {
    const { origin } = request.query as { origin?: unknown };
    const allowed = allowedPickerOrigin(origin, options.allowedOrigins);
    if (!allowed) return sendRefusal(reply, origin);
    const html =
      options.staticDir === undefined
        ? undefined
        : await fs.readFile(path.join(options.staticDir, 'index.html')).catch(() => undefined);
    if (!html) return reply.code(404).header('Content-Type', 'text/plain').send('The web app is not built');
    // Framed by the host page whose origin it posts its result to, and no other: a page that frames the
    // picker under someone else's origin gets a blank frame rather than their picks. No X-Frame-Options: it
    // cannot name an origin, and CSP supersedes it.
    return reply
      .header('Content-Type', 'text/html; charset=utf-8')
      .header('Cache-Control', 'no-cache')
      .header('Content-Security-Policy', appCsp(allowed))
      .send(html);
  });

  // picker.js is imported by other sites' pages (`<script type="module">` fetches it with CORS); `.d.ts` would
  // otherwise go out as video/mp2t.
  app.addHook('onSend', async (request, reply, payload) => {
    const type = CROSS_ORIGIN_FILES[request.url.split('?')[0] ?? ''];
    if (type !== undefined && reply.statusCode === 200) {
      void reply.header('Access-Control-Allow-Origin', '*');
      void reply.header('Content-Type', type);
    }
    return payload;
  });
}
