import { AsyncLocalStorage } from 'node:async_hooks';
import { sql, type Kysely, type Transaction } from 'kysely';
import { dialectOf, type SqlDialect } from './dialect.ts';
import { FileRowStore } from './file-row-store.ts';
import { FolderStore } from './folder-store.ts';
import { ReplaceStore } from './replace-store.ts';
import { JobStore } from './job-store.ts';
import { migrateToLatest } from './migrations.ts';
import { ModerationStore } from './moderation-store.ts';
import type { Database } from './schema.ts';
import { SessionStore } from './session-store.ts';
import { StorageStore } from './storage-store.ts';
import type { Db } from './sql-helpers.ts';
import { ensureSlack, isSqliteFull, releaseSlack } from './sqlite.ts';
import { TrashStore } from './trash-store.ts';
import { TusUploadStore } from './tus-upload-store.ts';
import { UploadTokenStore } from './upload-token-store.ts';
import { UsageStore } from './usage-store.ts';
import { ZipStore } from './zip-store.ts';

/**
 * First key of the PostgreSQL advisory lock that makes store transactions run one at a time (the second key is
 * the schema's name hashed, so instances in other schemas do not wait for each other).
 */
const TRANSACTION_LOCK = 0x534d4d; // 'SMM'

/**
 * The metadata store: the connection, its transactions, and one repository per area (`folders`, `files`, ...),
 * which are the only places that speak SQL. One Kysely schema on SQLite or PostgreSQL; the SQL stays within what
 * both run (row values, recursive CTEs, LIKE ... ESCAPE, RETURNING) except where `dialect` says otherwise: the
 * trigram search index (FTS5 / pg_trgm), planner hints, and row locks. A repository takes the store and queries
 * through `store.db`, so it joins the transaction open in its async context; `ContentsStore`, `ImageStore` and
 * `IntegrityStore` do the same but are built where they are used.
 */
export class MetadataStore {
  /** The transaction of the current async context, if any: every method joins it. */
  private readonly currentTransaction = new AsyncLocalStorage<Transaction<Database>>();
  readonly dialect: SqlDialect;

  readonly folders: FolderStore;
  readonly files: FileRowStore;
  readonly usage: UsageStore;
  readonly trash: TrashStore;
  readonly zips: ZipStore;
  readonly uploadTokens: UploadTokenStore;
  readonly sessions: SessionStore;
  readonly jobs: JobStore;
  readonly replacements: ReplaceStore;
  readonly moderation: ModerationStore;
  /** The Storage page's aggregates (kept by triggers, migration 0015). */
  readonly storage: StorageStore;
  readonly tusUploads: TusUploadStore;

  constructor(
    private readonly root: Kysely<Database>,
    /** See `FileRowStore` (tests lower them to reach every search plan with few rows). */
    trigramCandidatesMax?: number,
    searchProbeRows?: number,
  ) {
    this.dialect = dialectOf(root);
    this.folders = new FolderStore(this);
    this.files = new FileRowStore(this, trigramCandidatesMax, searchProbeRows);
    this.usage = new UsageStore(this);
    this.trash = new TrashStore(this);
    this.zips = new ZipStore(this);
    this.uploadTokens = new UploadTokenStore(this);
    this.sessions = new SessionStore(this);
    this.jobs = new JobStore(this);
    this.replacements = new ReplaceStore(this);
    this.moderation = new ModerationStore(this);
    this.storage = new StorageStore(this);
    this.tusUploads = new TusUploadStore(this);
  }

  /**
   * The connection to use: the caller's transaction when one is open. SQLite has one connection, so a query
   * made outside an open transaction would wait for it forever; joining it makes that impossible. On
   * PostgreSQL it keeps a transaction's reads and writes on the transaction's pooled connection.
   */
  get db(): Db {
    return this.currentTransaction.getStore() ?? this.root;
  }

  async migrate(): Promise<void> {
    await migrateToLatest(this.root as unknown as Kysely<unknown>);
  }

  async close(): Promise<void> {
    await this.root.destroy();
  }

  /**
   * Runs `work` in one transaction; nested calls join the outer one.
   *
   * The services read, check and write inside one transaction (the quota check before an insert, find-or-create
   * of a folder path, a job's "still pending?" before it completes) and rely on no other transaction running
   * in between, which SQLite guarantees by having one writer. PostgreSQL's default isolation does not, so there
   * each transaction first takes a transaction-scoped advisory lock: store transactions run one at a time, also
   * across server instances sharing the database. Statements outside a transaction do not take it; they are
   * atomic on their own (conditional UPDATE ... RETURNING, SKIP LOCKED for jobs).
   */
  async transaction<T>(work: (store: MetadataStore) => Promise<T>): Promise<T> {
    if (this.currentTransaction.getStore()) return work(this);
    try {
      return await this.runTransaction(work);
    } catch (error) {
      // The disk is full: SQLite rolled the transaction back. With the room of the slack file it runs again,
      // once (`work` only touches the store, so running it again is running it once).
      if (!isSqliteFull(error) || !releaseSlack(this.root)) throw error;
      return this.runTransaction(work);
    }
  }

  /**
   * Runs read-only `work` in one transaction, so its reads agree with each other, without serializing it
   * behind the writers: on PostgreSQL a `repeatable read, read only` transaction (one snapshot) that does not
   * take the advisory lock of `transaction` (a read that checks nothing before a write has nothing to guard,
   * and must not wait for a bulk operation's batches); on SQLite, whose one connection runs one transaction at
   * a time anyway, a deferred transaction that never takes the write lock. Nested in an open transaction, it
   * joins it.
   */
  async readTransaction<T>(work: (store: MetadataStore) => Promise<T>): Promise<T> {
    if (this.currentTransaction.getStore()) return work(this);
    let builder = this.root.transaction();
    if (this.dialect === 'postgres')
      builder = builder.setIsolationLevel('repeatable read').setAccessMode('read only');
    return builder.execute((trx) => this.currentTransaction.run(trx, () => work(this)));
  }

  /**
   * Makes the SQLite slack file again when it was used up and the volume has room (see `SqliteSlack`); nothing
   * on PostgreSQL.
   */
  keepSlack(): void {
    ensureSlack(this.root);
  }

  private runTransaction<T>(work: (store: MetadataStore) => Promise<T>): Promise<T> {
    return this.root.transaction().execute((trx) =>
      this.currentTransaction.run(trx, async () => {
        if (this.dialect === 'postgres') {
          await sql`select pg_advisory_xact_lock(${TRANSACTION_LOCK}, hashtext(current_schema()))`.execute(
            trx,
          );
        }
        return work(this);
      }),
    );
  }

  /** Removes expired tokens and sessions, and jobs finished more than a week ago; run at start and now and then. */
  async deleteExpired(now: string): Promise<void> {
    const weekAgo = new Date(Date.parse(now) - 7 * 24 * 3600_000).toISOString();
    await this.db
      .deleteFrom('jobs')
      .where('state', 'in', ['done', 'failed'])
      .where('updated_at', '<', weekAgo)
      .execute();
    await this.db.deleteFrom('upload_tokens').where('expires_at', '<=', now).execute();
    await this.db.deleteFrom('sessions').where('expires_at', '<=', now).execute();
    await this.db.deleteFrom('login_tokens').where('expires_at', '<=', now).execute();
  }
}
