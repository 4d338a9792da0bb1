import type { MetadataStore } from './metadata-store.ts';
import type { BulkOperationItemRow, BulkOperationItemTable } from './schema.ts';

/** Rows per INSERT: six columns each, well under SQLite's limit of bound values. */
const INSERT_CHUNK = 100;

/**
 * What bulk operations changed, item by item (`bulk_operation_items`): written by each batch in its own
 * transaction, read back in `item_id` order by the batches of the operation's undo. Joins the MetadataStore's
 * transaction, like every store.
 */
export class BulkUndoStore {
  constructor(private readonly store: MetadataStore) {}

  async record(rows: readonly BulkOperationItemTable[]): Promise<void> {
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
      await this.store.db
        .insertInto('bulk_operation_items')
        .values(rows.slice(i, i + INSERT_CHUNK))
        .execute();
    }
  }

  /** The next items of one kind the operation changed, after `afterId` (keyset on the primary key). */
  nextItems(
    operationId: string,
    kind: 'folders' | 'files',
    afterId: string | null,
    limit: number,
  ): Promise<BulkOperationItemRow[]> {
    let q = this.store.db
      .selectFrom('bulk_operation_items')
      .selectAll()
      .where('operation_id', '=', operationId)
      .where('kind', '=', kind);
    if (afterId !== null) q = q.where('item_id', '>', afterId);
    return q.orderBy('item_id').limit(limit).execute();
  }

  async count(operationId: string): Promise<{ folders: number; files: number }> {
    const rows = await this.store.db
      .selectFrom('bulk_operation_items')
      .select(['kind', (eb) => eb.fn.countAll<string | number>().as('n')])
      .where('operation_id', '=', operationId)
      .groupBy('kind')
      .execute();
    const of = (kind: string) => Number(rows.find((r) => r.kind === kind)?.n ?? 0);
    return { folders: of('folders'), files: of('files') };
  }

  /** The undo of an operation, if one was started. */
  undoOf(operationId: string) {
    return this.store.db
      .selectFrom('bulk_operations')
      .selectAll()
      .where('undo_of', '=', operationId)
      .executeTakeFirst();
  }

  /** Forgets the items of operations that are gone (after `BulkStore.deleteFinished`). */
  async deleteOrphans(): Promise<void> {
    await this.store.db
      .deleteFrom('bulk_operation_items')
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('bulk_operations')
              .select('id')
              .whereRef('bulk_operations.id', '=', 'bulk_operation_items.operation_id'),
          ),
        ),
      )
      .execute();
  }
}
