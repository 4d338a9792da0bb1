import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { createTestApp, TEST_API_KEY, type TestApp } from '../testing/test-app.ts';

// The media picker other sites embed: `/picker` may be framed only by an origin of PICKER_ALLOWED_ORIGINS (and
// only by the one it reports to); everything else stays unframeable.

const HOST = 'https://editor.example';
const OTHER_HOST = 'http://127.0.0.1:8315';
let staticDir: string;
let t: TestApp;

function fakeWebApp(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smm-picker-static-'));
  fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><div id="root"></div>');
  fs.writeFileSync(path.join(dir, 'picker.js'), 'export function openMediaPicker() {}');
  fs.writeFileSync(path.join(dir, 'picker.d.ts'), 'export declare function openMediaPicker(): void;');
  return dir;
}

function frameAncestors(csp: unknown): string | undefined {
  return String(csp)
    .split(';')
    .map((d) => d.trim())
    .find((d) => d.startsWith('frame-ancestors'));
}

beforeAll(async () => {
  staticDir = fakeWebApp();
  t = await createTestApp({ staticDir, pickerAllowedOrigins: [HOST, OTHER_HOST] });
});

afterAll(async () => {
  await t.close();
  fs.rmSync(staticDir, { recursive: true, force: true });
});

describe('GET /picker', () => {
  it('may be framed by the allowed origin it reports to, and by no other', async () => {
    for (const origin of [HOST, OTHER_HOST]) {
      const response = await t.app.inject(`/picker?origin=${encodeURIComponent(origin)}&multiple=1`);
      expect(response.statusCode).toBe(200);
      expect(response.body).toContain('id="root"');
      expect(frameAncestors(response.headers['content-security-policy'])).toBe(`frame-ancestors ${origin}`);
      expect(response.headers['x-frame-options']).toBeUndefined();
    }
  });

  it('compares origins, not spellings', async () => {
    const response = await t.app.inject(`/picker?origin=${encodeURIComponent('https://EDITOR.example/')}`);
    expect(response.statusCode).toBe(200);
    expect(frameAncestors(response.headers['content-security-policy'])).toBe(`frame-ancestors ${HOST}`);
  });

  it('refuses an origin not allowed with a page naming the setting', async () => {
    for (const url of [
      '/picker?origin=https%3A%2F%2Fevil.example',
      '/picker?origin=https%3A%2F%2Feditor.example.evil.example',
      '/picker?origin=http%3A%2F%2Feditor.example',
      '/picker?origin=not-a-url',
      '/picker',
    ]) {
      const response = await t.app.inject(url);
      expect(response.statusCode, url).toBe(403);
      expect(response.headers['content-type']).toMatch(/^text\/html/);
      expect(response.body).toContain('PICKER_ALLOWED_ORIGINS');
      expect(response.body).not.toContain('id="root"');
    }
    const named = await t.app.inject('/picker?origin=https%3A%2F%2Fevil.example%3Cb%3E');
    expect(named.body).toContain('https://evil.example&lt;b&gt;');
  });

  it('is refused to everyone when no origin is allowed', async () => {
    const closed = await createTestApp({ staticDir, pickerAllowedOrigins: [] });
    try {
      const response = await closed.app.inject(`/picker?origin=${encodeURIComponent(HOST)}`);
      expect(response.statusCode).toBe(403);
    } finally {
      await closed.close();
    }
  });
});

describe('every other page', () => {
  it('still refuses to be framed', async () => {
    for (const url of ['/', '/files/abc', '/sign-in?next=%2Fpicker', '/picker/other', '/index.html']) {
      const response = await t.app.inject(url);
      expect(response.statusCode, url).toBe(200);
      expect(frameAncestors(response.headers['content-security-policy']), url).toBe("frame-ancestors 'none'");
      expect(response.headers['x-frame-options'], url).toBe('DENY');
    }
  });
});

describe('GET /picker.js', () => {
  it('is a module other origins may load, with its types next to it', async () => {
    const script = await t.app.inject({ url: '/picker.js', headers: { origin: HOST } });
    expect(script.statusCode).toBe(200);
    expect(script.headers['content-type']).toMatch(/javascript/);
    expect(script.headers['access-control-allow-origin']).toBe('*');
    const types = await t.app.inject('/picker.d.ts');
    expect(types.statusCode).toBe(200);
    expect(types.headers['content-type']).toMatch(/^text\/plain/);
    expect(types.headers['access-control-allow-origin']).toBe('*');
    // The app's own files are not shared that way.
    const page = await t.app.inject({ url: '/index.html', headers: { origin: HOST } });
    expect(page.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('the session cookie', () => {
  async function cookieOf(publicUrl: string, pickerAllowedOrigins: string[]): Promise<string> {
    const app = await createTestApp({ publicUrl, pickerAllowedOrigins });
    try {
      const response = await app.app.inject({
        method: 'POST',
        url: '/auth/session',
        payload: { apiKey: TEST_API_KEY },
      });
      expect(response.statusCode).toBe(200);
      return String(response.headers['set-cookie']);
    } finally {
      await app.close();
    }
  }

  it('is SameSite=None; Secure when other sites frame the picker over https', async () => {
    const cookie = await cookieOf('https://media.example', [HOST]);
    expect(cookie).toMatch(/SameSite=None/i);
    expect(cookie).toMatch(/; Secure/i);
  });

  it('stays SameSite=Strict otherwise', async () => {
    expect(await cookieOf('https://media.example', [])).toMatch(/SameSite=Strict/i);
    // Browsers drop SameSite=None cookies that are not Secure: plain http keeps Strict (same-site frames work).
    expect(await cookieOf('http://127.0.0.1:8311', [OTHER_HOST])).toMatch(/SameSite=Strict/i);
  });

  it('still needs the CSRF token for changes with the cookie', async () => {
    const app = await createTestApp({ publicUrl: 'https://media.example', pickerAllowedOrigins: [HOST] });
    try {
      const signIn = await app.app.inject({
        method: 'POST',
        url: '/auth/session',
        payload: { apiKey: TEST_API_KEY },
      });
      const cookie = String(signIn.headers['set-cookie']).split(';')[0] ?? '';
      const response = await app.app.inject({
        method: 'POST',
        url: '/site-media/v1/folders',
        headers: { cookie, origin: HOST },
        payload: { displayName: 'x', parentFolderId: 'media-root' },
      });
      expect(response.statusCode).toBe(403);
    } finally {
      await app.close();
    }
  });
});

describe('PICKER_ALLOWED_ORIGINS', () => {
  it('takes a comma list of origins', () => {
    const config = loadConfig({ PICKER_ALLOWED_ORIGINS: ' https://a.example , http://127.0.0.1:8315/ ' });
    expect(config.pickerAllowedOrigins).toEqual(['https://a.example', 'http://127.0.0.1:8315']);
    expect(loadConfig({}).pickerAllowedOrigins).toEqual([]);
  });

  it('rejects what is not an origin', () => {
    for (const value of ['https://a.example/editor', 'a.example', 'ftp://a.example', '*']) {
      expect(() => loadConfig({ PICKER_ALLOWED_ORIGINS: value }), value).toThrow(/PICKER_ALLOWED_ORIGINS/);
    }
  });
});
