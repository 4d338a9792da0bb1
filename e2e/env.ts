// Settings shared by playwright.config.ts and the specs.

/** Port of the server the end-to-end tests start (E2E_PORT to change it). */
export const E2E_PORT = Number(process.env.E2E_PORT ?? 8181);
export const E2E_BASE_URL = `http://127.0.0.1:${E2E_PORT}`;
/** The server is started with MEDIA_API_KEY set to this. */
export const E2E_API_KEY = 'e2e-test-key-0123456789';
/** Port of the little HTTP server the import spec fetches from (allowed by IMPORT_ALLOW_HOSTS). */
export const E2E_IMPORT_PORT = Number(process.env.E2E_IMPORT_PORT ?? 8183);
/** Port of the host page picker.spec.ts serves (another origin, allowed by PICKER_ALLOWED_ORIGINS). */
export const E2E_PICKER_HOST_PORT = Number(process.env.E2E_PICKER_HOST_PORT ?? 8315);
