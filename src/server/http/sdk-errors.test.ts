// Wix's official SDK against the real server (see testing/sdk.ts): errors thrown as the SDK shapes them.
import { describe, expect, it } from 'vitest';
import { useSdkServer, type Wix } from '../testing/sdk.ts';

let wix: Wix;
useSdkServer((s) => (wix = s.wix));

describe('errors through the SDK', () => {
  it('a server error is thrown with details.applicationError.code', async () => {
    const error = await wix.folders.getFolder('no-such-folder').then(
      () => null,
      (e: unknown) => e as { status?: number; requestId?: string; details?: Record<string, any> },
    );
    expect(error).not.toBeNull();
    expect(error).toBeInstanceOf(Error);
    expect(error?.details?.applicationError?.code).toBe('RESOURCE_NOT_FOUND');
    expect(error?.status).toBe(404);
    expect(typeof error?.requestId).toBe('string');
    expect(error?.requestId).not.toBe('');

    await expect(wix.files.getFileDescriptor('no-such-file')).rejects.toMatchObject({
      details: { applicationError: { code: 'RESOURCE_NOT_FOUND' } },
    });
  });

  it('a bad argument is thrown with details.validationError', async () => {
    await expect(wix.folders.listFolders({ paging: { limit: 1000 } })).rejects.toMatchObject({
      // The SDK maps the server's `paging.limit` to its own argument name.
      details: {
        validationError: { fieldViolations: [expect.objectContaining({ field: 'options.paging.limit' })] },
      },
    });
  });
});
