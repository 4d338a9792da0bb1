import { ownerSentence } from './owner-messages';

// The one way the web app talks to the server: same-origin fetch with the session cookie, JSON in and out,
// the CSRF token on every request that changes something, and the contract's error shape turned into ApiError.

/** Where the session (and with it the CSRF token) lives. The auth feature owns the resource; the client only
 * reads it to get a CSRF token when it has none yet. */
export const SESSION_PATH = '/auth/session';

export const CSRF_HEADER = 'X-CSRF-Token';

export interface FieldViolation {
  field: string;
  description: string;
}

/** An error answered by the server (status >= 400), or status 0 when the server could not be reached. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly status: number;
  /** The contract's `applicationError.code` (e.g. RESOURCE_NOT_FOUND); INVALID_ARGUMENT for a `validationError`;
   * NETWORK_ERROR when the request never got an answer; null when the body carried no code. */
  readonly code: string | null;
  readonly description: string | null;
  readonly fieldViolations: readonly FieldViolation[];
  readonly requestId: string | null;

  constructor(init: {
    status: number;
    message: string;
    code?: string | null;
    description?: string | null;
    fieldViolations?: readonly FieldViolation[];
    requestId?: string | null;
    cause?: unknown;
  }) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.status = init.status;
    this.code = init.code ?? null;
    this.description = init.description ?? null;
    this.fieldViolations = init.fieldViolations ?? [];
    this.requestId = init.requestId ?? null;
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

export type QueryValue = string | number | boolean | null | undefined;
/** GET query parameters: nested fields use dotted keys (`paging.limit`), arrays become repeated keys,
 * null/undefined are left out. */
export type QueryParams = Record<string, QueryValue | readonly QueryValue[]>;

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RequestOptions {
  method?: HttpMethod;
  query?: QueryParams;
  /** Sent as JSON. */
  body?: unknown;
  signal?: AbortSignal;
  /** Send the CSRF header (default: true for every method but GET/HEAD). Only signing in goes without. */
  csrf?: boolean;
  /** On a 401, send the user to the sign-in page (default true). The auth calls handle 401 themselves. */
  redirectOnUnauthenticated?: boolean;
}

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface ApiClientOptions {
  fetch?: FetchLike;
  /** Called on a 401 (unless the request opted out). Default: a full navigation to /sign-in. */
  onUnauthenticated?: () => void;
}

export interface ApiClient {
  request<T>(path: string, options?: RequestOptions): Promise<T>;
  get<T>(path: string, options?: Omit<RequestOptions, 'method' | 'body'>): Promise<T>;
  post<T>(path: string, body?: unknown, options?: Omit<RequestOptions, 'method' | 'body'>): Promise<T>;
  patch<T>(path: string, body?: unknown, options?: Omit<RequestOptions, 'method' | 'body'>): Promise<T>;
  delete<T>(path: string, options?: Omit<RequestOptions, 'method'>): Promise<T>;
  /** Remember the CSRF token from a session response (null after signing out). */
  setCsrfToken(token: string | null): void;
  setUnauthenticatedHandler(handler: () => void): void;
}

export function buildUrl(path: string, query?: QueryParams): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    const values: readonly QueryValue[] = Array.isArray(value) ? value : [value as QueryValue];
    for (const item of values) {
      if (item === null || item === undefined) continue;
      params.append(key, String(item));
    }
  }
  const search = params.toString();
  if (!search) return path;
  return `${path}${path.includes('?') ? '&' : '?'}${search}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function defaultMessage(status: number): string {
  if (status === 401) return 'Your session has ended. Sign in again.';
  if (status === 403) return 'You do not have permission to do that.';
  if (status === 404) return 'Not found.';
  if (status >= 500) return 'The server ran into a problem. Try again in a moment.';
  return `The request failed (HTTP ${status}).`;
}

/** Turn an error response body (already parsed, or null when it was not JSON) into an ApiError. */
export function parseApiError(status: number, body: unknown, requestId: string | null = null): ApiError {
  if (!isRecord(body)) return new ApiError({ status, message: defaultMessage(status), requestId });

  const details = isRecord(body.details) ? body.details : {};
  const applicationError = isRecord(details.applicationError) ? details.applicationError : null;
  const validationError = isRecord(details.validationError) ? details.validationError : null;

  const fieldViolations: FieldViolation[] = [];
  if (validationError && Array.isArray(validationError.fieldViolations)) {
    for (const violation of validationError.fieldViolations as unknown[]) {
      if (!isRecord(violation)) continue;
      fieldViolations.push({
        field: typeof violation.field === 'string' ? violation.field : '',
        description: typeof violation.description === 'string' ? violation.description : '',
      });
    }
  }

  const code =
    stringOrNull(applicationError?.code) ??
    (validationError ? 'INVALID_ARGUMENT' : null) ??
    // Some servers put the code at the top level; accept it rather than lose it.
    stringOrNull(body.code);
  const description = stringOrNull(applicationError?.description);
  // What the app shows: sentences for the owner, never API field names (`folderId: ...`); the server's own
  // words stay in `description` and `fieldViolations`.
  const described = fieldViolations.filter((v) => v.description !== '');
  const serverText = described.length > 0 ? null : (stringOrNull(body.message) ?? description ?? null);
  const message =
    described.length > 0
      ? described.map((v) => ownerSentence(`${v.field || 'field'}: ${v.description}`)).join(' ')
      : serverText !== null
        ? ownerSentence(serverText)
        : defaultMessage(status);

  return new ApiError({ status, message, code, description, fieldViolations, requestId });
}

function isAbort(error: unknown, signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true || (error instanceof DOMException && error.name === 'AbortError');
}

function defaultUnauthenticatedHandler(): void {
  if (typeof window === 'undefined' || window.location.pathname === '/sign-in') return;
  const next = `${window.location.pathname}${window.location.search}`;
  window.location.assign(`/sign-in?next=${encodeURIComponent(next)}`);
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text.trim() === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

export function createApiClient(options: ApiClientOptions = {}): ApiClient {
  // Looked up per call so tests can stub the global fetch.
  const fetchImpl: FetchLike = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  let onUnauthenticated = options.onUnauthenticated ?? defaultUnauthenticatedHandler;
  let csrfToken: string | null = null;
  let pendingCsrfToken: Promise<string> | null = null;

  // Concurrent requests share one session lookup; it is not tied to any one caller's abort signal.
  async function ensureCsrfToken(redirectOnUnauthenticated: boolean): Promise<string> {
    if (csrfToken !== null) return csrfToken;
    pendingCsrfToken ??= (async () => {
      try {
        const session = await send<unknown>(SESSION_PATH, { method: 'GET', redirectOnUnauthenticated });
        const token = isRecord(session) ? stringOrNull(session.csrfToken) : null;
        if (token === null) {
          throw new ApiError({ status: 401, code: 'UNAUTHENTICATED', message: defaultMessage(401) });
        }
        csrfToken = token;
        return token;
      } finally {
        pendingCsrfToken = null;
      }
    })();
    return pendingCsrfToken;
  }

  async function send<T>(path: string, requestOptions: RequestOptions = {}): Promise<T> {
    const method = requestOptions.method ?? 'GET';
    const redirectOnUnauthenticated = requestOptions.redirectOnUnauthenticated ?? true;
    const safe = method === 'GET' || method === 'HEAD';
    const headers = new Headers({ Accept: 'application/json' });
    if (requestOptions.body !== undefined) headers.set('Content-Type', 'application/json');
    if (requestOptions.csrf ?? !safe) {
      headers.set(CSRF_HEADER, await ensureCsrfToken(redirectOnUnauthenticated));
    }

    let response: Response;
    try {
      response = await fetchImpl(buildUrl(path, requestOptions.query), {
        method,
        headers,
        credentials: 'same-origin',
        body: requestOptions.body === undefined ? undefined : JSON.stringify(requestOptions.body),
        signal: requestOptions.signal,
      });
    } catch (error) {
      if (isAbort(error, requestOptions.signal)) throw error;
      throw new ApiError({
        status: 0,
        code: 'NETWORK_ERROR',
        message: 'Could not reach the server. Check your connection and try again.',
        cause: error,
      });
    }

    const body = await readJson(response);
    if (!response.ok) {
      const error = parseApiError(response.status, body, response.headers.get('X-Wix-Request-Id'));
      if (response.status === 401) {
        csrfToken = null;
        if (redirectOnUnauthenticated) onUnauthenticated();
      }
      throw error;
    }
    return (body ?? {}) as T;
  }

  return {
    request: send,
    get: (path, opts) => send(path, { ...opts, method: 'GET' }),
    post: (path, body, opts) => send(path, { ...opts, method: 'POST', body }),
    patch: (path, body, opts) => send(path, { ...opts, method: 'PATCH', body }),
    delete: (path, opts) => send(path, { ...opts, method: 'DELETE' }),
    setCsrfToken(token) {
      csrfToken = token;
    },
    setUnauthenticatedHandler(handler) {
      onUnauthenticated = handler;
    },
  };
}

/** The app's client. Its 401 handler is replaced by the router-aware one in app.tsx. */
export const apiClient = createApiClient();
