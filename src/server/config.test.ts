import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';

describe('S3 configuration', () => {
  it('is off unless S3_ENDPOINT is set', () => {
    expect(loadConfig({}).s3).toBeUndefined();
    expect(loadConfig({ S3_BUCKET: 'media', S3_ACCESS_KEY: 'k', S3_SECRET_KEY: 's' }).s3).toBeUndefined();
  });

  it('reads the S3_* variables, with defaults', () => {
    expect(loadConfig({ S3_ENDPOINT: 'http://127.0.0.1:8580', S3_BUCKET: 'media' }).s3).toEqual({
      endpoint: 'http://127.0.0.1:8580',
      bucket: 'media',
      region: 'us-east-1',
      accessKeyId: undefined,
      secretAccessKey: undefined,
      forcePathStyle: true,
      downloads: 'proxy',
      keyPrefix: '',
      maxParts: 10_000,
    });
    expect(
      loadConfig({
        S3_ENDPOINT: 'https://s3.example.com',
        S3_BUCKET: 'media',
        S3_REGION: 'eu-west-3',
        S3_ACCESS_KEY: 'test:tester',
        S3_SECRET_KEY: 'testing',
        S3_FORCE_PATH_STYLE: 'false',
        S3_DOWNLOADS: 'redirect',
        S3_KEY_PREFIX: '/site-a/media/',
        S3_MAX_PARTS: '1000',
      }).s3,
    ).toEqual({
      endpoint: 'https://s3.example.com',
      bucket: 'media',
      region: 'eu-west-3',
      accessKeyId: 'test:tester',
      secretAccessKey: 'testing',
      forcePathStyle: false,
      downloads: 'redirect',
      keyPrefix: 'site-a/media/',
      maxParts: 1000,
    });
  });

  it('refuses incomplete or unknown settings', () => {
    const base = { S3_ENDPOINT: 'http://127.0.0.1:8580', S3_BUCKET: 'media' };
    expect(() => loadConfig({ S3_ENDPOINT: 'http://127.0.0.1:8580' })).toThrow(/S3_BUCKET/);
    expect(() => loadConfig({ ...base, S3_ACCESS_KEY: 'k' })).toThrow(/S3_SECRET_KEY/);
    expect(() => loadConfig({ ...base, S3_DOWNLOADS: 'direct' })).toThrow(/S3_DOWNLOADS/);
    expect(() => loadConfig({ ...base, S3_FORCE_PATH_STYLE: 'maybe' })).toThrow(/S3_FORCE_PATH_STYLE/);
    expect(() => loadConfig({ ...base, S3_KEY_PREFIX: 'a//b' })).toThrow(/S3_KEY_PREFIX/);
    expect(() => loadConfig({ ...base, S3_KEY_PREFIX: 'a/../b' })).toThrow(/S3_KEY_PREFIX/);
  });
});

describe('storage limits', () => {
  it('MIN_FREE_DISK_BYTES: unset is the default (null), 0 turns the reserve off; VISITOR_QUOTA_BYTES: unset or 0 is none', () => {
    expect(loadConfig({}).minFreeDiskBytes).toBeNull();
    expect(loadConfig({ MIN_FREE_DISK_BYTES: '0' }).minFreeDiskBytes).toBe(0);
    expect(loadConfig({ MIN_FREE_DISK_BYTES: '2147483648' }).minFreeDiskBytes).toBe(2 ** 31);
    expect(() => loadConfig({ MIN_FREE_DISK_BYTES: '1GB' })).toThrow(/MIN_FREE_DISK_BYTES/);
    expect(loadConfig({}).visitorQuotaBytes).toBeNull();
    expect(loadConfig({ VISITOR_QUOTA_BYTES: '0' }).visitorQuotaBytes).toBeNull();
    expect(loadConfig({ VISITOR_QUOTA_BYTES: '1000' }).visitorQuotaBytes).toBe(1000);
    expect(() => loadConfig({ VISITOR_QUOTA_BYTES: '-1' })).toThrow(/VISITOR_QUOTA_BYTES/);
  });
});

describe('TRUST_PROXY', () => {
  it('is off by default; takes a hop count or a list of proxy addresses and CIDRs', () => {
    for (const off of [undefined, '', 'false', 'off', 'no', '0']) {
      expect(loadConfig(off === undefined ? {} : { TRUST_PROXY: off }).trustProxy).toBe(false);
    }
    expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: ' 2 ' }).trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.5, 172.16.0.0/12,::1, fd00::/8' }).trustProxy).toEqual([
      '10.0.0.5',
      '172.16.0.0/12',
      '::1',
      'fd00::/8',
    ]);
    expect(loadConfig({ TRUST_PROXY: 'loopback' }).trustProxy).toEqual(['loopback']);
  });

  it('reads true as one proxy: trusting every hop would let clients pick their own address', () => {
    for (const on of ['true', 'yes', 'on', 'TRUE'])
      expect(loadConfig({ TRUST_PROXY: on }).trustProxy).toBe(1);
  });

  it('refuses anything else', () => {
    for (const bad of [
      'maybe',
      '-1',
      '1.5',
      '10.0.0.300',
      '10.0.0.0/33',
      'fd00::/129',
      '10.0.0.1,,x',
      'nginx',
    ]) {
      expect(() => loadConfig({ TRUST_PROXY: bad }), bad).toThrow(/TRUST_PROXY/);
    }
  });
});

describe('slow clients', () => {
  it('reads HEADERS_TIMEOUT_SECONDS, BODY_RATE_WINDOW_SECONDS and BODY_MIN_BYTES_PER_WINDOW', () => {
    expect(loadConfig({})).toMatchObject({
      headersTimeoutMs: 30_000,
      bodyRateWindowMs: 60_000,
      bodyMinBytesPerWindow: 1024,
    });
    expect(
      loadConfig({
        HEADERS_TIMEOUT_SECONDS: '10',
        BODY_RATE_WINDOW_SECONDS: '120',
        BODY_MIN_BYTES_PER_WINDOW: '0',
      }),
    ).toMatchObject({ headersTimeoutMs: 10_000, bodyRateWindowMs: 120_000, bodyMinBytesPerWindow: 0 });
    expect(() => loadConfig({ BODY_RATE_WINDOW_SECONDS: '-1' })).toThrow(/BODY_RATE_WINDOW_SECONDS/);
  });
});

describe('blob sweeper configuration', () => {
  it('waits a day by default, takes minutes of at least an hour, or off', () => {
    expect(loadConfig({}).blobSweepGraceMinutes).toBe(24 * 60);
    expect(loadConfig({ BLOB_SWEEP_GRACE_MINUTES: '90' }).blobSweepGraceMinutes).toBe(90);
    expect(loadConfig({ BLOB_SWEEP_GRACE_MINUTES: 'OFF' }).blobSweepGraceMinutes).toBeNull();
    expect(() => loadConfig({ BLOB_SWEEP_GRACE_MINUTES: '5' })).toThrow(/BLOB_SWEEP_GRACE_MINUTES/);
    expect(() => loadConfig({ BLOB_SWEEP_GRACE_MINUTES: 'soon' })).toThrow(/BLOB_SWEEP_GRACE_MINUTES/);
  });
});

describe('TRASH_RETENTION_DAYS', () => {
  it('defaults to 30 days, takes 0 (forever) and whole days, refuses anything else', () => {
    expect(loadConfig({}).trashRetentionDays).toBe(30);
    expect(loadConfig({ TRASH_RETENTION_DAYS: '0' }).trashRetentionDays).toBe(0);
    expect(loadConfig({ TRASH_RETENTION_DAYS: ' 7 ' }).trashRetentionDays).toBe(7);
    for (const bad of ['-1', '1.5', 'soon', '36501', '1e3']) {
      expect(() => loadConfig({ TRASH_RETENTION_DAYS: bad })).toThrow(/TRASH_RETENTION_DAYS/);
    }
  });
});

describe('UPLOAD_CLAIM_LEASE_SECONDS', () => {
  it('defaults to 60, takes a positive integer, refuses 0 and garbage', () => {
    expect(loadConfig({}).uploadClaimLeaseSeconds).toBe(60);
    expect(loadConfig({ UPLOAD_CLAIM_LEASE_SECONDS: '5' }).uploadClaimLeaseSeconds).toBe(5);
    expect(() => loadConfig({ UPLOAD_CLAIM_LEASE_SECONDS: '0' })).toThrow(/UPLOAD_CLAIM_LEASE_SECONDS/);
    expect(() => loadConfig({ UPLOAD_CLAIM_LEASE_SECONDS: '1.5' })).toThrow(/UPLOAD_CLAIM_LEASE_SECONDS/);
  });
});

describe('image transformation configuration', () => {
  it('defaults to open mode and reads the TRANSFORM_* variables', () => {
    expect(loadConfig({}).transforms).toMatchObject({ mode: 'open', presets: [], cacheBytes: 1024 ** 3 });
    expect(
      loadConfig({
        TRANSFORM_MODE: 'presets',
        TRANSFORM_PRESETS: '640x480, 1280X960',
        TRANSFORM_CACHE_BYTES: '1000',
        TRANSFORM_QUEUE_LIMIT: '3',
        TRANSFORM_HOURLY_VARIANTS: '7',
      }).transforms,
    ).toMatchObject({
      mode: 'presets',
      presets: [
        { w: 640, h: 480 },
        { w: 1280, h: 960 },
      ],
      cacheBytes: 1000,
      queueLimit: 3,
      variantsPerFilePerHour: 7,
    });
  });

  it('refuses settings that cannot work', () => {
    expect(() => loadConfig({ TRANSFORM_MODE: 'closed' })).toThrow(/TRANSFORM_MODE/);
    expect(() => loadConfig({ TRANSFORM_MODE: 'presets' })).toThrow(/TRANSFORM_PRESETS/);
    expect(() => loadConfig({ TRANSFORM_PRESETS: '640x0' })).toThrow(/TRANSFORM_PRESETS/);
    expect(() => loadConfig({ TRANSFORM_MODE: 'signed' })).toThrow(/TRANSFORM_SIGNING_KEY/);
    expect(
      loadConfig({ TRANSFORM_MODE: 'signed', TRANSFORM_SIGNING_KEY: 'k'.repeat(16) }).transforms.mode,
    ).toBe('signed');
  });
});
