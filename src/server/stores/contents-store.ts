import { sql } from 'kysely';
import { TRASH_ROOT_ID, type MediaType } from '../../contract/index.ts';
import type { MetadataStore } from './metadata-store.ts';

/** One listing of a folder, as the list endpoints see it: its direct items in one state. */
export interface ContentsFilter {
  locationId: string;
  state: 'OK' | 'DELETED';
  mediaTypes?: readonly MediaType[] | undefined;
}

export interface ContentsCount {
  folders: number;
  files: number;
  /** True when a count reached the cap: the real number is at least this. */
  estimated: boolean;
}

/**
 * What the admin app needs about a whole folder at once: how many items it holds, and acting on all of them
 * (but a few) in one statement. Joins the MetadataStore's transaction, like every store method.
 */
export class ContentsStore {
  constructor(
    private readonly store: MetadataStore,
    /** Counting stops here: a count is an index range scan, and past this the exact number helps nobody. */
    private readonly countMax = 100_000,
  ) {}

  async count(filter: ContentsFilter): Promise<ContentsCount> {
    const db = this.store.db;
    const capped = async (table: 'folders' | 'files') => {
      let inner = db
        .selectFrom(table)
        .select(sql<number>`1`.as('one'))
        .where('location_id', '=', filter.locationId)
        .where('state', '=', filter.state);
      if (table === 'files' && filter.mediaTypes?.length) {
        inner = inner.where('media_type', 'in', [...filter.mediaTypes]);
      }
      const { rows } = await sql<{
        n: number | string;
      }>`select count(*) as n from (${inner.limit(this.countMax + 1)}) as capped`.execute(db);
      return Math.min(Number(rows[0]?.n ?? 0), this.countMax + 1);
    };
    // A type filter shows files only (folders have no type).
    const folders = filter.mediaTypes?.length ? 0 : await capped('folders');
    const files = await capped('files');
    const estimated = folders > this.countMax || files > this.countMax;
    return { folders: Math.min(folders, this.countMax), files: Math.min(files, this.countMax), estimated };
  }

  /** The live sub-folders of a folder, but the excepted ones. */
  async liveFolderIds(parentId: string, except: ReadonlySet<string>): Promise<string[]> {
    const rows = await this.store.db
      .selectFrom('folders')
      .select('id')
      .where('location_id', '=', parentId)
      .where('state', '=', 'OK')
      .execute();
    return rows.map((r) => r.id).filter((id) => !except.has(id));
  }

  /**
   * Moves every live file directly in a folder (of these types, but the excepted ones) to the trash in one
   * statement, each as its own trash entry, as `bulk/files/delete` does for each id. Returns how many.
   */
  async trashFiles(
    parentId: string,
    mediaTypes: readonly MediaType[] | undefined,
    except: readonly string[],
    now: string,
  ): Promise<number> {
    let q = this.store.db
      .updateTable('files')
      .set({
        state: 'DELETED',
        scope: 'TRASH_ROOT',
        location_id: TRASH_ROOT_ID,
        trash_batch: sql<string>`id`,
        updated_date: now,
      })
      .where('location_id', '=', parentId)
      .where('state', '=', 'OK');
    if (mediaTypes?.length) q = q.where('media_type', 'in', [...mediaTypes]);
    if (except.length > 0) q = q.where('id', 'not in', [...except]);
    const result = await q.executeTakeFirst();
    return Number(result.numUpdatedRows);
  }
}
