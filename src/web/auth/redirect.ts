import type { QueryClient } from '@tanstack/react-query';
import { redirect } from 'react-router';
import { sessionQueryOptions } from './api/session';

export const SIGN_IN_PATH = '/sign-in';

/** Only same-origin paths are accepted as `?next=` targets (no `//host` or `/\host` tricks). */
export function safeNextPath(value: string | null | undefined): string {
  if (!value || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return '/';
  if (value === SIGN_IN_PATH || value.startsWith(`${SIGN_IN_PATH}?`)) return '/';
  return value;
}

export function signInPathFor(location: { pathname: string; search: string }): string {
  const next = `${location.pathname}${location.search}`;
  return next === '/' ? SIGN_IN_PATH : `${SIGN_IN_PATH}?next=${encodeURIComponent(next)}`;
}

/** Loader for the signed-in part of the app: without a session, go to the sign-in page. */
export async function requireSession(queryClient: QueryClient, request: Request): Promise<Response | null> {
  const session = await queryClient.ensureQueryData(sessionQueryOptions());
  if (session.authenticated) return null;
  return redirect(signInPathFor(new URL(request.url)));
}

/** Loader for the sign-in page: someone already signed in goes straight on. */
export async function redirectIfSignedIn(
  queryClient: QueryClient,
  request: Request,
): Promise<Response | null> {
  try {
    const session = await queryClient.ensureQueryData(sessionQueryOptions());
    if (!session.authenticated) return null;
  } catch {
    // The server could not say: show the form, which reports its own errors.
    return null;
  }
  return redirect(safeNextPath(new URL(request.url).searchParams.get('next')));
}
