// Helpers for end-to-end specs. Import `test` and `expect` from here instead of '@playwright/test'.
//
// All specs of a run share one server and one DATA_DIR (workers: 1, files run in name order), so a spec that
// creates content should do it inside a folder of its own, not at the root of Site Files, which
// sign-in.spec.ts expects to be empty.
import {
  type APIRequestContext,
  type BrowserContext,
  test as base,
  expect,
  type Page,
} from '@playwright/test';
import { E2E_API_KEY, E2E_BASE_URL } from './env';

export { expect };
export { E2E_API_KEY, E2E_BASE_URL };

export interface SignedInSession {
  csrfToken: string;
}

/**
 * Signs a browser context in through the API (`POST /auth/session`), as the sign-in page would: the session
 * cookie lands in the context's cookie jar, so its pages are signed in. Returns the session's CSRF token.
 */
export async function signIn(
  context: BrowserContext,
  apiKey: string = E2E_API_KEY,
): Promise<SignedInSession> {
  const response = await context.request.post(`${E2E_BASE_URL}/auth/session`, { data: { apiKey } });
  if (!response.ok()) {
    throw new Error(`POST /auth/session answered ${response.status()}: ${await response.text()}`);
  }
  const body = (await response.json()) as { authenticated?: boolean; csrfToken?: unknown };
  if (body.authenticated !== true || typeof body.csrfToken !== 'string') {
    throw new Error(`POST /auth/session answered an unexpected body: ${JSON.stringify(body)}`);
  }
  return { csrfToken: body.csrfToken };
}

interface Fixtures {
  /** A page whose context is already signed in (through the API, not the form). */
  signedInPage: Page;
  /** The REST API with the admin key in `Authorization`, for setting up data (no cookie, no CSRF needed). */
  api: APIRequestContext;
}

export const test = base.extend<Fixtures>({
  signedInPage: async ({ context, page }, use) => {
    await signIn(context);
    await use(page);
  },
  api: async ({ playwright }, use) => {
    const api = await playwright.request.newContext({
      baseURL: E2E_BASE_URL,
      extraHTTPHeaders: { Authorization: E2E_API_KEY },
    });
    await use(api);
    await api.dispose();
  },
});
