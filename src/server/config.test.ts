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
