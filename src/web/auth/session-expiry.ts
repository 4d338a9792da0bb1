import type { QueryClient } from '@tanstack/react-query';
import type { DataRouter } from 'react-router';
import { sessionKeys } from './api/session';
import { SIGN_IN_PATH, signInPathFor } from './redirect';

/**
 * What the app does when an API call is answered 401 (the session ended, or its cookie is gone): forget the
 * session, go to the sign-in page (which brings the user back here afterwards), then drop the cached data of
 * the old session.
 */
export function handleSessionExpired(
  queryClient: QueryClient,
  router: Pick<DataRouter, 'state' | 'navigate'>,
) {
  queryClient.setQueryData(sessionKeys.current(), { authenticated: false });
  const { location } = router.state;
  if (location.pathname === SIGN_IN_PATH) return;
  void router.navigate(signInPathFor(location), { replace: true }).then(() => {
    queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== sessionKeys.all[0] });
  });
}
