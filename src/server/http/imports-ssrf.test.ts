// Import from URL: what the fetch may reach (SSRF): refused addresses, the allow-list, DNS and every redirect hop.
import { describe, expect, it } from 'vitest';
import { blockedAddress, hostAllowed } from '../services/safe-fetch.ts';
import { expectViolation } from '../testing/helpers.ts';
import {
  hits,
  importFile,
  origin,
  settled,
  setup,
  sourcePort,
  t,
  useImportSource,
} from '../testing/imports.ts';

useImportSource();

describe('import from URL', () => {
  describe('SSRF', () => {
    const refusedAtOnce = [
      'http://127.0.0.1/',
      'http://127.1.2.3:8080/x',
      'http://169.254.169.254/latest/meta-data/',
      'http://10.0.0.5/',
      'http://172.16.3.4/',
      'http://192.168.1.1/',
      'http://100.64.0.1/',
      'http://0.0.0.0/',
      'http://224.0.0.1/',
      'http://[::1]/',
      'http://[::ffff:127.0.0.1]/',
      'http://[::ffff:a9fe:a9fe]/',
      'http://[fe80::1]/',
      'http://[fd00:ec2::254]/',
      'http://[::]/',
      'ftp://example.com/file',
      'file:///etc/passwd',
      'http://user:password@example.com/',
      'not a url',
    ];
    it.each(refusedAtOnce)('refuses %s before anything is fetched (400 on url)', async (url) => {
      await setup({ importAllowHosts: [] });
      expectViolation(await t.api('POST', '/files/import', { url }), 'url');
    });

    it('refuses the test source itself without the allow-list', async () => {
      await setup({ importAllowHosts: [] });
      hits.delete('/photos/sunset%20beach.png');
      expectViolation(
        await t.api('POST', '/files/import', { url: `${origin}/photos/sunset%20beach.png` }),
        'url',
      );
      expect(hits.get('/photos/sunset%20beach.png')).toBeUndefined();
    });

    it('an allow-list entry with a port allows that port only', async () => {
      await setup();
      expectViolation(
        await t.api('POST', '/files/import', { url: `http://127.0.0.1:${sourcePort + 1}/` }),
        'url',
      );
    });

    it('checks names after DNS resolution: localhost resolves to loopback and is refused', async () => {
      await setup();
      const file = await settled(
        (await importFile({ url: `http://localhost:${sourcePort}/photos/x.png` })).id,
      );
      expect(file.operationStatus).toBe('FAILED');
      expect(file.failureReason).toMatch(/localhost resolves to .* which is not a public address/);
    });

    it('checks every redirect hop: to metadata, private and loopback addresses', async () => {
      await setup();
      for (const to of [
        'http://169.254.169.254/latest/meta-data/',
        'http://10.1.2.3/',
        'http://[::1]/',
        `http://localhost:${sourcePort}/photos/sunset%20beach.png`,
        'gopher://example.com/',
      ]) {
        const file = await settled(
          (await importFile({ url: `${origin}/redirect?to=${encodeURIComponent(to)}` })).id,
        );
        expect(file.operationStatus, to).toBe('FAILED');
        expect(file.failureReason, to).toMatch(/not a public address|Only http and https/);
      }
    });

    it('classifies addresses', () => {
      for (const address of [
        '127.0.0.1',
        '10.255.0.1',
        '172.31.255.255',
        '192.168.0.1',
        '169.254.169.254',
        '100.100.100.200',
        '0.0.0.0',
        '255.255.255.255',
        '239.1.1.1',
        '198.18.0.1',
        '::1',
        '::',
        '::ffff:8.8.8.8',
        'fc00::1',
        'fd12:3456::1',
        'fe80::1',
        'fe80::1%eth0',
        'ff02::1',
        '64:ff9b::a00:1',
        '2002:a00:1::',
        'not-an-ip',
      ]) {
        expect(blockedAddress(address), address).toBe(true);
      }
      for (const address of ['8.8.8.8', '1.1.1.1', '93.184.216.34', '172.32.0.1', '2606:4700:4700::1111']) {
        expect(blockedAddress(address), address).toBe(false);
      }
    });

    it('matches allow-list entries by host, or host and port', () => {
      const allow = ['127.0.0.1:8081', 'media.internal', '[::1]:9000', 'fd00::5'];
      expect(hostAllowed(new URL('http://127.0.0.1:8081/x'), allow)).toBe(true);
      expect(hostAllowed(new URL('http://127.0.0.1:8082/x'), allow)).toBe(false);
      expect(hostAllowed(new URL('http://127.0.0.1/x'), allow)).toBe(false);
      expect(hostAllowed(new URL('https://MEDIA.internal/x'), allow)).toBe(true);
      expect(hostAllowed(new URL('http://media.internal:1234/x'), allow)).toBe(true);
      expect(hostAllowed(new URL('http://[::1]:9000/'), allow)).toBe(true);
      expect(hostAllowed(new URL('http://[::1]:9001/'), allow)).toBe(false);
      expect(hostAllowed(new URL('http://[fd00::5]:77/'), allow)).toBe(true);
    });
  });
});
