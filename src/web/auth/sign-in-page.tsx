import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { Button } from '../components/ui/button';
import { isApiError } from '../lib/api-client';
import { useDocumentTitle } from '../lib/use-document-title';
import { sessionKeys, signIn } from './api/session';
import { safeNextPath } from './redirect';

const LINK_ERRORS: Record<string, string> = {
  'login-link-expired':
    'That sign-in link has expired or was already used. Each link works once: sign in with the API key instead, or restart the server for a new link.',
};

function errorMessage(error: unknown): string {
  if (isApiError(error)) return error.message;
  return 'Something went wrong. Try again.';
}

/**
 * /sign-in — the API key form. `?next=` is where to go afterwards, `?error=` a problem with a login link. The
 * media picker shows it in place with `next` its own URL.
 */
export function SignInPage({ next: nextPath }: { next?: string } = {}) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [searchParams] = useSearchParams();
  const [apiKey, setApiKey] = useState('');
  const [missingKey, setMissingKey] = useState(false);
  const inputId = useId();
  const errorId = useId();
  const hintId = useId();

  useDocumentTitle('Sign in');

  const linkError = LINK_ERRORS[searchParams.get('error') ?? ''] ?? null;
  const next = nextPath ?? safeNextPath(searchParams.get('next'));

  const mutation = useMutation({
    mutationFn: signIn,
    onSuccess: async (session) => {
      queryClient.setQueryData(sessionKeys.current(), session);
      await navigate(next, { replace: true });
    },
  });

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (mutation.isPending) return;
    if (apiKey.trim() === '') {
      mutation.reset();
      setMissingKey(true);
      return;
    }
    setMissingKey(false);
    mutation.mutate(apiKey);
  }

  const error = missingKey
    ? 'Enter the API key.'
    : mutation.isError
      ? errorMessage(mutation.error)
      : mutation.isIdle
        ? linkError
        : null;

  return (
    <main className="sign-in" id="main">
      <div className="sign-in__card">
        <p className="sign-in__product">Site Media Manager</p>
        <h1 className="sign-in__title">Sign in</h1>
        <form className="form" onSubmit={handleSubmit} noValidate>
          {/* Lets password managers file the key under a name. */}
          <input
            type="text"
            name="username"
            autoComplete="username"
            value="Site Media Manager"
            readOnly
            hidden
          />
          <div className="field">
            <label htmlFor={inputId}>API key</label>
            <input
              id={inputId}
              name="apiKey"
              type="password"
              autoComplete="current-password"
              autoFocus
              required
              value={apiKey}
              onChange={(event) => setApiKey(event.target.value)}
              aria-invalid={missingKey || mutation.isError ? true : undefined}
              aria-describedby={[error ? errorId : null, hintId].filter(Boolean).join(' ')}
            />
          </div>
          {error ? (
            <p className="form__error" id={errorId} role="alert">
              {error}
            </p>
          ) : null}
          <Button type="submit" variant="primary" disabled={mutation.isPending}>
            {mutation.isPending ? 'Signing in…' : 'Sign in'}
          </Button>
        </form>
        <p className="sign-in__hint" id={hintId}>
          Use the server&apos;s API key: <code>MEDIA_API_KEY</code>, or the <code>api-key</code> file in its
          data folder. When the server starts, it also prints a one-time sign-in link in its log: open that
          link to sign in without typing the key.
        </p>
      </div>
    </main>
  );
}
