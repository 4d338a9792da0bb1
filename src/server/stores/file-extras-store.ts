import type { Kysely } from 'kysely';
import type { MetadataStore } from './metadata-store.ts';
import type { AltTextColumn, Database, FileTable } from './schema.ts';

/** The schema with the column `FileTable` leaves out (see `AltTextColumn`). */
type ExtrasDatabase = Omit<Database, 'files'> & { files: FileTable & AltTextColumn };

/** Ids per `IN (...)` list: well below SQLite's and PostgreSQL's bound-parameter limits. */
const CHUNK = 500;

/** A file's references from the sites using it, as stored (`externalInfo` JSON). */
export interface ExternalInfoRow {
  id: string;
  display_name: string;
  external_info: string | null;
}

/**
 * SQL of what the admin app edits beside Wix's descriptor fields: an image's alt text, and the references
 * (`externalInfo`) sites using a file write. Over the metadata store's connection, so it joins its transactions.
 */
export class FileExtrasStore {
  constructor(private readonly store: MetadataStore) {}

  private get db(): Kysely<ExtrasDatabase> {
    return this.store.db as unknown as Kysely<ExtrasDatabase>;
  }

  async setAltText(fileId: string, altText: string | null, now: string): Promise<void> {
    await this.db
      .updateTable('files')
      .set({ alt_text: altText, updated_date: now })
      .where('id', '=', fileId)
      .execute();
  }

  async setExternalInfo(fileId: string, externalInfo: string | null): Promise<void> {
    await this.db
      .updateTable('files')
      .set({ external_info: externalInfo })
      .where('id', '=', fileId)
      .execute();
  }

  /** Of these files, those that have references, by primary key a chunk at a time. */
  async externalInfoOf(ids: readonly string[]): Promise<ExternalInfoRow[]> {
    const unique = [...new Set(ids)];
    const out: ExternalInfoRow[] = [];
    for (let i = 0; i < unique.length; i += CHUNK) {
      out.push(
        ...(await this.db
          .selectFrom('files')
          .select(['id', 'display_name', 'external_info'])
          .where('id', 'in', unique.slice(i, i + CHUNK))
          .where('external_info', 'is not', null)
          .execute()),
      );
    }
    return out;
  }
}
