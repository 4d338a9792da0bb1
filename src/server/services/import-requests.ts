import { FILE_NAME_MAX, replaceForbiddenCharacters, type MediaType } from '../../contract/index.ts';
import { invalid } from '../errors.ts';
import { nameProblem } from './names.ts';
import { checkUrl, FetchRefusedError } from './safe-fetch.ts';
import { checkMimeAllowed, type UploadPolicy } from './upload-limits.ts';
import { normaliseMime } from './upload-tokens.ts';

export interface ImportRequest {
  url: string;
  mediaType?: MediaType | undefined;
  displayName?: string | undefined;
  parentFolderId?: string | undefined;
  private?: boolean | undefined;
  labels?: string[] | undefined;
  mimeType?: string | undefined;
  externalInfo?: unknown;
  urlParams?: Record<string, string | number | boolean> | undefined;
  urlHeaders?: Record<string, string> | undefined;
  filePath?: string | undefined;
}

/** Headers an import request may not set: they belong to the connection or would confuse the fetch. */
const FORBIDDEN_HEADERS = new Set([
  'host',
  'connection',
  'content-length',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'keep-alive',
  'proxy-authorization',
  'proxy-connection',
  'expect',
]);

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/;

/** A display name from the URL's last path segment, made valid; `imported-file` when there is none. */
function nameFromUrl(url: URL): string {
  const segment = url.pathname.split('/').filter(Boolean).at(-1) ?? '';
  let name: string;
  try {
    name = decodeURIComponent(segment);
  } catch {
    name = segment;
  }
  name = replaceForbiddenCharacters(name, '_').replace(/[/\\]/g, '_').trim().slice(0, FILE_NAME_MAX).trim();
  if (name === '' || name === '.' || name === '..') return 'imported-file';
  return name;
}

export interface Prepared {
  request: ImportRequest;
  url: URL;
  displayName: string;
  mimeType: string | null;
  labels: string[];
  headers: Record<string, string>;
}

/** The checks of an import request that need no database; throws 4xx naming the field (under `prefix`). */
export function checkImportRequest(
  request: ImportRequest,
  prefix: string,
  options: { allowHosts: readonly string[]; policy: UploadPolicy },
): Omit<Prepared, 'request' | 'labels'> {
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    throw invalid(`${prefix}url`, 'must be an absolute http or https URL');
  }
  try {
    checkUrl(url, options.allowHosts);
  } catch (error) {
    if (error instanceof FetchRefusedError) throw invalid(`${prefix}url`, error.message);
    throw error;
  }
  for (const [key, value] of Object.entries(request.urlParams ?? {}))
    url.searchParams.append(key, String(value));

  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.urlHeaders ?? {})) {
    if (!HEADER_NAME.test(name) || FORBIDDEN_HEADERS.has(name.toLowerCase())) {
      throw invalid(`${prefix}urlHeaders.${name}`, 'this header cannot be set');
    }
    if (/[\r\n\0]/.test(value)) throw invalid(`${prefix}urlHeaders.${name}`, 'must be one line');
    headers[name.toLowerCase()] = value;
  }

  const mimeType =
    request.mimeType === undefined ? null : normaliseMime(request.mimeType, `${prefix}mimeType`);
  if (mimeType !== null) checkMimeAllowed(mimeType, options.policy);

  let displayName: string;
  if (request.displayName !== undefined) {
    const problem = nameProblem(request.displayName, FILE_NAME_MAX);
    if (problem) throw invalid(`${prefix}displayName`, problem);
    displayName = request.displayName;
  } else {
    displayName = nameFromUrl(url);
  }
  return { url, headers, mimeType, displayName };
}
