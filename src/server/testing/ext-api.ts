import { TEST_API_KEY, type TestApp } from './test-app.ts';

/** An authenticated call to the admin extensions (`/site-media-ext/v1`), which Wix's API lacks. */
export async function extCall(t: TestApp, method: 'GET' | 'POST', path: string, body?: object) {
  const response = await t.app.inject({
    method,
    url: `/site-media-ext/v1${path}`,
    headers: { authorization: TEST_API_KEY },
    ...(body ? { payload: body } : {}),
  });
  return { status: response.statusCode, json: response.json() };
}
