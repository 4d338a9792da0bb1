import { FILE_NAME_MAX } from '../../contract/index.ts';
import { ApiError, invalid } from '../errors.ts';
import { nameProblem } from './names.ts';
import { contentMismatch } from './sniff.ts';
import type { StorageGuard } from './storage-guard.ts';
import {
  checkDeclaredSize,
  checkMimeAllowed,
  zeroFileSize,
  type Quota,
  type UploadPolicy,
} from './upload-limits.ts';
import type { UploadParams } from './upload-tokens.ts';

/** The limits uploads are held to: who may store what, how much in all, and the data volume's reserve. */
export interface UploadLimitOptions {
  /** Limits of uploads made with the API key (and of imports). */
  policy: UploadPolicy;
  /** Limits of visitor uploads. */
  visitorPolicy: UploadPolicy;
  /** The site quota: every upload and import. */
  quota: Quota;
  /** The Visitor Uploads quota: visitor uploads, on top of the site quota. */
  visitorQuota: Quota;
  /** The free-space reserve of the data volume. */
  space: StorageGuard;
}

/**
 * Refuses a size of stored bytes that is empty or not the size the upload said it would be (`expected`, when
 * known): after the bytes are in, before their row is written.
 */
export function checkReceivedSize(size: number, expected: number | null | undefined): void {
  if (size === 0) throw zeroFileSize();
  if (expected !== null && expected !== undefined && size !== expected) {
    throw invalid('sizeInBytes', `expected ${expected} bytes, received ${size}`);
  }
}

/** The checks of an upload against its token and the limits, each where the upload can first be refused. */
export class UploadChecks {
  constructor(private readonly options: UploadLimitOptions) {}

  get space(): StorageGuard {
    return this.options.space;
  }

  policyOf(params: Pick<UploadParams, 'visitor'>): UploadPolicy {
    return params.visitor ? this.options.visitorPolicy : this.options.policy;
  }

  /** The quotas an upload counts against: the site's, and for a visitor's also Visitor Uploads'. */
  quotasOf(params: Pick<UploadParams, 'visitor'>): Quota[] {
    return params.visitor ? [this.options.quota, this.options.visitorQuota] : [this.options.quota];
  }

  /** Refuses when `additional` more bytes would not fit every quota of the upload. */
  async checkQuotas(params: Pick<UploadParams, 'visitor'>, additional: number): Promise<void> {
    for (const quota of this.quotasOf(params)) await quota.check(additional);
  }

  /** The file name an upload gets: the one given at generate time, else the one given with the bytes. */
  fileNameOf(params: UploadParams, given: string | undefined): string {
    const fileName = params.fileName ?? given;
    if (!fileName) {
      throw invalid('filename', 'give fileName when generating the URL or ?filename= with the upload');
    }
    const problem = nameProblem(fileName, FILE_NAME_MAX);
    if (problem) throw invalid('filename', problem);
    return fileName;
  }

  /** Checks a size known before the bytes come (Content-Length, tus Upload-Length) against the token. */
  checkKnownSize(params: UploadParams, size: number): void {
    checkDeclaredSize(size, this.policyOf(params));
    if (params.sizeInBytes !== null && size !== params.sizeInBytes) {
      throw invalid('sizeInBytes', `the upload URL was made for ${params.sizeInBytes} bytes, not ${size}`);
    }
  }

  /**
   * The ingest gate's checks on bytes that arrived another way (a finished tus upload): name, size, type,
   * content (from the first bytes, `head`) and quotas. `refuseEmpty` refuses 0 bytes before the type is
   * looked at (otherwise the row's write refuses them). Resolves with the file's name.
   */
  async checkArrived(
    params: UploadParams,
    fileNameParam: string | undefined,
    size: number,
    head: () => Buffer | Promise<Buffer>,
    refuseEmpty: boolean,
  ): Promise<string> {
    const fileName = this.fileNameOf(params, fileNameParam);
    this.checkKnownSize(params, size);
    if (refuseEmpty && size === 0) throw zeroFileSize();
    checkMimeAllowed(params.mimeType, this.policyOf(params));
    const mismatch = contentMismatch(params.mimeType, await head());
    if (mismatch) {
      throw new ApiError('MISMATCH_MIME_TYPE', mismatch.description, {
        declaredMimeType: mismatch.declared,
        detectedMimeType: mismatch.detected,
      });
    }
    await this.checkQuotas(params, size);
    return fileName;
  }
}
