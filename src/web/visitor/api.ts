// The public visitor upload API (`/visitor/v1`): no session, no CSRF, no cookies. The page uses plain fetch and
// XHR (for upload progress) rather than the app's api-client, which is tied to the signed-in session.
import type { VisitorUploadConfig } from '../../contract';

export type { VisitorUploadConfig };

interface ErrorBody {
  message?: unknown;
}

/** The server refused (or could not take) an upload; `retryable` when trying again may help. */
export class VisitorUploadError extends Error {
  override readonly name = 'VisitorUploadError';
  readonly retryable: boolean;
  constructor(message: string, status: number) {
    super(message);
    // 4xx is a refusal of this file (too big, wrong type...), except being too fast or too slow.
    this.retryable = status === 0 || status === 408 || status === 429 || status >= 500;
  }
}

function uploadError(status: number, text: string): VisitorUploadError {
  return new VisitorUploadError(errorMessageOf(status, text), status);
}

/** The server's own message from a contract error body, or a fallback naming the status. */
export function errorMessageOf(status: number, text: string): string {
  try {
    const body = JSON.parse(text) as ErrorBody;
    if (typeof body.message === 'string' && body.message) return body.message;
  } catch {
    // Not JSON: fall through.
  }
  if (status === 0) return 'The connection was lost. Try again.';
  return `The server answered ${status}`;
}

export async function getVisitorConfig(signal?: AbortSignal): Promise<VisitorUploadConfig> {
  const response = await fetch('/visitor/v1/config', { signal, credentials: 'omit' });
  const text = await response.text();
  if (!response.ok) throw new Error(errorMessageOf(response.status, text));
  return JSON.parse(text) as VisitorUploadConfig;
}

/** `POST /visitor/v1/upload-url`: a single-use URL the bytes are PUT to. */
async function getUploadUrl(file: File, key: string | undefined): Promise<string> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (key) headers.Authorization = key;
  let response: Response;
  try {
    response = await fetch('/visitor/v1/upload-url', {
      method: 'POST',
      credentials: 'omit',
      headers,
      body: JSON.stringify({
        mimeType: file.type || 'application/octet-stream',
        fileName: file.name,
        sizeInBytes: String(file.size),
      }),
    });
  } catch {
    throw new VisitorUploadError('The server could not be reached. Try again.', 0);
  }
  const text = await response.text();
  if (!response.ok) throw uploadError(response.status, text);
  return (JSON.parse(text) as { uploadUrl: string }).uploadUrl;
}

/** PUTs the raw bytes with XHR, reporting progress (0..1); rejects with the server's reason on refusal. */
function putBytes(url: string, file: File, onProgress: (fraction: number) => void, signal: AbortSignal) {
  return new Promise<void>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', url);
    xhr.setRequestHeader('Content-Type', file.type || 'application/octet-stream');
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) resolve();
      else reject(uploadError(xhr.status, xhr.responseText));
    };
    xhr.onerror = () => reject(new VisitorUploadError('The connection was lost. Try again.', 0));
    xhr.onabort = () => reject(new DOMException('Cancelled', 'AbortError'));
    signal.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(file);
  });
}

export async function uploadVisitorFile(
  file: File,
  options: { key?: string; onProgress: (fraction: number) => void; signal: AbortSignal },
): Promise<void> {
  const url = await getUploadUrl(file, options.key);
  options.onProgress(0);
  await putBytes(url, file, options.onProgress, options.signal);
}

/** Whether a MIME type matches the server's patterns (`image/*`); an empty list allows every type. */
export function typeAllowed(type: string, patterns: readonly string[]): boolean {
  if (patterns.length === 0) return true;
  const mime = (type || 'application/octet-stream').toLowerCase();
  return patterns.some((pattern) => {
    const p = pattern.toLowerCase().trim();
    if (p === '*' || p === '*/*') return true;
    if (p.endsWith('/*')) return mime.startsWith(p.slice(0, -1));
    return mime === p;
  });
}

const TYPE_NAMES: Record<string, string> = {
  'image/*': 'images',
  'video/*': 'videos',
  'audio/*': 'audio',
  'application/pdf': 'PDF',
  'text/plain': 'plain text',
};

/** "images, videos, audio, PDF and plain text". */
export function describeTypes(patterns: readonly string[]): string {
  const names = patterns.map((p) => TYPE_NAMES[p] ?? p);
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1] ?? ''}`;
}
