import { queryOptions } from '@tanstack/react-query';
import { apiClient, isApiError, SESSION_PATH } from '../../lib/api-client';

/** The session as the app sees it: a 401 from GET /auth/session is "signed out", not an error. */
export type Session = { authenticated: true; csrfToken: string } | { authenticated: false };

interface SessionResponse {
  authenticated: boolean;
  csrfToken?: string;
}

export const sessionKeys = {
  all: ['session'] as const,
  current: () => [...sessionKeys.all, 'current'] as const,
};

function toSession(response: SessionResponse): Session {
  if (response.authenticated && typeof response.csrfToken === 'string') {
    apiClient.setCsrfToken(response.csrfToken);
    return { authenticated: true, csrfToken: response.csrfToken };
  }
  apiClient.setCsrfToken(null);
  return { authenticated: false };
}

export async function fetchSession(signal?: AbortSignal): Promise<Session> {
  try {
    const response = await apiClient.get<SessionResponse>(SESSION_PATH, {
      signal,
      redirectOnUnauthenticated: false,
    });
    return toSession(response);
  } catch (error) {
    if (isApiError(error) && error.status === 401) return toSession({ authenticated: false });
    throw error;
  }
}

export function sessionQueryOptions() {
  return queryOptions({
    queryKey: sessionKeys.current(),
    queryFn: ({ signal }) => fetchSession(signal),
    staleTime: 5 * 60_000,
  });
}

/** POST /auth/session. A wrong key rejects with an ApiError (401) carrying the server's message. */
export async function signIn(apiKey: string): Promise<Session> {
  const response = await apiClient.post<SessionResponse>(
    SESSION_PATH,
    { apiKey },
    { csrf: false, redirectOnUnauthenticated: false },
  );
  return toSession(response);
}

/** DELETE /auth/session. A session that had already ended counts as signed out. */
export async function signOut(): Promise<void> {
  try {
    await apiClient.delete<unknown>(SESSION_PATH, { redirectOnUnauthenticated: false });
  } catch (error) {
    if (!(isApiError(error) && error.status === 401)) throw error;
  } finally {
    apiClient.setCsrfToken(null);
  }
}
