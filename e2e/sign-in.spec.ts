import { E2E_API_KEY, expect, test } from './fixtures';

test('signs in with the API key, shows Site Files, and signs out', async ({ page }) => {
  await page.goto('/');
  await expect(page).toHaveURL(/\/sign-in$/);
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expect(page.getByText(/one-time sign-in link/)).toBeVisible();

  const apiKey = page.getByLabel('API key');
  await expect(apiKey).toHaveAttribute('type', 'password');
  await apiKey.fill('not-the-key');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toHaveText('Invalid API key');
  await expect(page).toHaveURL(/\/sign-in$/);

  await apiKey.fill(E2E_API_KEY);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/^[^?#]*:\/\/[^/]+\/$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Site Files' })).toBeVisible();
  await expect(page.getByText('This folder is empty')).toBeVisible();
  await expect(page.getByRole('banner').getByRole('link', { name: 'Site Media Manager' })).toBeVisible();
  await expect(page).toHaveTitle('Site Files · Site Media Manager');

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();

  // The session really ended: the app asks to sign in again.
  await page.goto('/');
  await expect(page).toHaveURL(/\/sign-in$/);
});

test('keeps the address to come back to after signing in', async ({ page }) => {
  await page.goto('/files/media-root');
  await expect(page).toHaveURL(/\/sign-in\?next=%2Ffiles%2Fmedia-root$/);
  await page.getByLabel('API key').fill(E2E_API_KEY);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/files\/media-root$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Site Files' })).toBeVisible();
});

test('explains a used or unknown one-time login link', async ({ page }) => {
  await page.goto('/login?token=not-a-real-token');
  await expect(page).toHaveURL(/\/sign-in\?error=login-link-expired$/);
  await expect(page.getByRole('alert')).toContainText('expired or was already used');
});

test('the signIn fixture signs a context in through the API', async ({ signedInPage }) => {
  await signedInPage.goto('/');
  await expect(signedInPage).toHaveURL(/^[^?#]*:\/\/[^/]+\/$/);
  await expect(signedInPage.getByRole('heading', { level: 1, name: 'Site Files' })).toBeVisible();
  await expect(signedInPage.getByRole('button', { name: 'Sign out' })).toBeVisible();
});
