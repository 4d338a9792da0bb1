import {
  FILE_NAME_MAX,
  MEDIA_ROOT_ID,
  UPLOAD_LABELS_MAX,
  VISITOR_UPLOADS_ROOT_ID,
  type OnDuplicate,
  type VisitorUploadUrlResponse,
} from '../../contract/index.ts';
import { isoIn } from '../clock.ts';
import { invalid } from '../errors.ts';
import { randomToken, sha256 } from '../secrets.ts';
import type { MetadataStore } from '../stores/metadata-store.ts';
import { validateLabels } from './file-service.ts';
import { splitFilePath, type FolderService } from './folder-service.ts';
import { nameProblem } from './names.ts';
import type { UploadChecks } from './upload-checks.ts';
import { checkDeclaredSize, checkMimeAllowed } from './upload-limits.ts';

export interface UploadRequest {
  mimeType: string;
  fileName?: string | undefined;
  sizeInBytes?: number | undefined;
  parentFolderId?: string | undefined;
  private?: boolean | undefined;
  labels?: string[] | undefined;
  externalInfo?: unknown;
  filePath?: string | undefined;
  /** Extension only (`/site-media-ext/v1`): what to do when the bytes are already in the library. */
  onDuplicate?: OnDuplicate | undefined;
}

/** Which upload flow a token opens: a plain PUT, a tus upload, or (visitor tokens) whichever comes first. */
export type UploadProtocolKind = 'plain' | 'tus' | 'any';

/** What an upload token stands for, resolved and checked when the URL was generated. */
export interface UploadParams {
  /** Absent in tokens made before resumable uploads existed: plain. */
  protocol?: UploadProtocolKind;
  /** A site visitor's token: the visitor policy applies, and the file goes to visitor-uploads. */
  visitor?: boolean;
  mimeType: string;
  fileName: string | null;
  sizeInBytes: number | null;
  parentFolderId: string;
  filePath: string | null;
  private: boolean;
  labels: string[];
  externalInfo: unknown;
  /** A Replace upload's token: the bytes become this file's new version (see `ReplaceService`). */
  replaceFileId?: string;
  /** Absent (tokens from Wix's endpoints, visitors, imports): `KEEP_BOTH`. */
  onDuplicate?: OnDuplicate;
}

/** Path of the tus creation endpoint; uploads live below it and `PUT <it>/<token>` finalizes one. */
export const TUS_PATH = '/upload/v1/tus';

const MIME = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/i;

/** Validates and normalises a MIME type given by a client. */
export function normaliseMime(mimeType: string, field: string): string {
  const mime = mimeType.trim().toLowerCase();
  if (!MIME.test(mime)) throw invalid(field, 'must be a MIME type like image/jpeg');
  return mime;
}

/**
 * Upload URLs: `generate-upload-url`, `generate-resumable-upload-url` and a visitor's upload hand out
 * single-use, expiring tokens, kept only as hashes with what they stand for (`UploadParams`). Every limit that
 * can be checked before a byte is sent is checked here, from the declared size and type.
 */
export class UploadTokens {
  constructor(
    private readonly store: MetadataStore,
    private readonly folders: FolderService,
    private readonly checks: UploadChecks,
    private readonly options: { uploadUrlTtlMinutes: number; publicUrl: string },
  ) {}

  async generateUploadUrl(request: UploadRequest): Promise<{ uploadUrl: string }> {
    const { token } = await this.issue(request, 'plain', false);
    return { uploadUrl: this.plainUrl(token) };
  }

  async generateResumableUploadUrl(
    request: UploadRequest,
  ): Promise<{ uploadProtocol: 'TUS'; uploadUrl: string; uploadToken: string }> {
    const { token } = await this.issue(request, 'tus', false);
    return { uploadProtocol: 'TUS', uploadUrl: this.tusUrl(), uploadToken: token };
  }

  /**
   * A visitor's upload: one token, good for either protocol (the first use wins), that always puts the file
   * in visitor-uploads under the visitor policy.
   */
  async generateVisitorUpload(request: {
    mimeType: string;
    fileName: string;
    sizeInBytes?: number | undefined;
  }): Promise<VisitorUploadUrlResponse> {
    const { token, expiresAt } = await this.issue(
      {
        mimeType: request.mimeType,
        fileName: request.fileName,
        sizeInBytes: request.sizeInBytes,
        parentFolderId: VISITOR_UPLOADS_ROOT_ID,
      },
      'any',
      true,
    );
    return {
      uploadUrl: this.plainUrl(token),
      resumableUploadUrl: this.tusUrl(),
      uploadToken: token,
      expiresAt,
    };
  }

  /** The URL a plain upload's bytes are PUT to. */
  plainUrl(token: string): string {
    return `${this.options.publicUrl}/upload/v1/${token}`;
  }

  private tusUrl(): string {
    return `${this.options.publicUrl}${TUS_PATH}`;
  }

  /** Checks an upload request and stores its token; `extra` marks a Replace upload's. */
  async issue(
    request: UploadRequest,
    protocol: UploadProtocolKind,
    visitor: boolean,
    extra: Pick<UploadParams, 'replaceFileId'> = {},
  ): Promise<{ token: string; expiresAt: string }> {
    const mimeType = normaliseMime(request.mimeType, 'mimeType');
    if (request.fileName !== undefined) {
      const problem = nameProblem(request.fileName, FILE_NAME_MAX);
      if (problem) throw invalid('fileName', problem);
    }
    if (request.filePath !== undefined) splitFilePath(request.filePath);
    const labels = validateLabels(request.labels ?? [], UPLOAD_LABELS_MAX, 'labels');
    const parentFolderId = request.parentFolderId ?? MEDIA_ROOT_ID;
    await this.folders.destination(parentFolderId, 'parentFolderId');
    // Limits, before any byte is sent: type, declared size, quotas, free disk space.
    const policy = this.checks.policyOf({ visitor });
    checkMimeAllowed(mimeType, policy);
    if (request.sizeInBytes !== undefined) checkDeclaredSize(request.sizeInBytes, policy);
    await this.checks.checkQuotas({ visitor }, request.sizeInBytes ?? 0);
    await this.checks.space.check(request.sizeInBytes ?? 0);

    const params: UploadParams = {
      protocol,
      visitor,
      mimeType,
      fileName: request.fileName ?? null,
      sizeInBytes: request.sizeInBytes ?? null,
      parentFolderId,
      filePath: request.filePath ?? null,
      private: request.private ?? false,
      labels,
      externalInfo: request.externalInfo ?? null,
      ...extra,
      ...(request.onDuplicate && !visitor && { onDuplicate: request.onDuplicate }),
    };
    const token = randomToken(32);
    const expiresAt = isoIn(this.options.uploadUrlTtlMinutes * 60_000);
    await this.store.uploadTokens.insertUploadToken(sha256(token), JSON.stringify(params), expiresAt);
    return { token, expiresAt };
  }
}
