import { ALT_TEXT_MAX, hasForbiddenCharacter, type FileDescriptor } from '../../contract/index.ts';
import { nowIso } from '../clock.ts';
import { ApiError, invalid } from '../errors.ts';
import type { FileExtrasStore } from '../stores/file-extras-store.ts';
import type { MetadataStore } from '../stores/metadata-store.ts';
import type { FileService } from './file-service.ts';

/** The contract's `externalInfo` (`generate-upload-url`, `import`): which site uses the file, and where. */
export interface ExternalInfo {
  origin?: string;
  externalIds?: string[];
}

export interface FileReferences {
  id: string;
  displayName: string;
  externalInfo: ExternalInfo;
}

/**
 * What the admin app edits beside Wix's writable descriptor fields (not in Wix's API, served under the extension
 * prefix): an image's alt text, which Wix's answers carry in `media.image.image.altText`, and the references
 * (`externalInfo`) of the sites using a file, which the app names before the file goes to the trash.
 */
export class FileExtrasService {
  constructor(
    private readonly store: MetadataStore,
    private readonly extras: FileExtrasStore,
    private readonly files: FileService,
  ) {}

  /** Sets (or, with null or only whitespace, clears) an image's alt text; answers the updated descriptor. */
  async setAltText(idOrUri: string, altText: string | null): Promise<FileDescriptor> {
    const text = altText?.trim() || null;
    if (text !== null && text.length > ALT_TEXT_MAX) {
      throw invalid('altText', `must be at most ${ALT_TEXT_MAX} characters`);
    }
    if (text !== null && hasForbiddenCharacter(text))
      throw invalid('altText', 'must not contain control characters');
    return this.store.transaction(async () => {
      const row = await this.files.row(idOrUri);
      // A trashed item's date is when it was trashed (retention counts from it): it stays unchanged.
      if (row.state !== 'OK') throw new ApiError('FAILED_PRECONDITION', `File ${row.id} is in the trash`);
      if (row.media_type !== 'IMAGE') throw invalid('altText', 'only images have alt text');
      await this.extras.setAltText(row.id, text, nowIso());
      return this.files.get(row.id);
    });
  }

  /**
   * Replaces the references a site keeps on a file (null or no ids: none). Not a change of the file itself: its
   * `updatedDate` stays (and so does a trashed file's date in the trash).
   */
  async setExternalInfo(idOrUri: string, info: ExternalInfo | null): Promise<ExternalInfo | null> {
    const kept = info && (info.externalIds?.length || info.origin) ? info : null;
    return this.store.transaction(async () => {
      const row = await this.files.row(idOrUri);
      await this.extras.setExternalInfo(row.id, kept && JSON.stringify(kept));
      return kept;
    });
  }

  /** Of these files, those that sites say they use (at least one external id), with their references. */
  async references(ids: readonly string[]): Promise<FileReferences[]> {
    const rows = await this.extras.externalInfoOf(ids);
    return rows.flatMap((row) => {
      const info = JSON.parse(row.external_info ?? 'null') as ExternalInfo | null;
      if (!info?.externalIds?.length) return [];
      return [{ id: row.id, displayName: row.display_name, externalInfo: info }];
    });
  }
}
