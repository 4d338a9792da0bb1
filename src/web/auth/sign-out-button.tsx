import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { Button } from '../components/ui/button';
import { sessionKeys, signOut } from './api/session';
import { SIGN_IN_PATH } from './redirect';

export function SignOutButton() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();

  const mutation = useMutation({
    mutationFn: signOut,
    onSuccess: async () => {
      // Mark the session as ended before leaving, so the sign-in page does not bounce back; then drop every
      // cached answer of the old session once its pages are gone.
      queryClient.setQueryData(sessionKeys.current(), { authenticated: false });
      await navigate(SIGN_IN_PATH, { replace: true });
      queryClient.clear();
    },
  });

  return (
    <div className="sign-out">
      {mutation.isError ? (
        <span className="sign-out__error" role="alert">
          Could not sign out. Try again.
        </span>
      ) : null}
      <Button variant="ghost" onClick={() => mutation.mutate()} disabled={mutation.isPending}>
        {mutation.isPending ? 'Signing out…' : 'Sign out'}
      </Button>
    </div>
  );
}
