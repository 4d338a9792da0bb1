import {
  Kysely,
  OperationNodeTransformer,
  PostgresDialect,
  PrimitiveValueListNode,
  ValueNode,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
  type WhereNode,
} from 'kysely';
import pg from 'pg';
import type { Database } from './schema.ts';

/**
 * int8 (`bigint`: sizes, usage, `count(*)`) arrives as a string by default because it may exceed 2^53. Ours
 * never do, and SQLite hands back numbers: parse them as numbers so rows look the same on both. Per pool, so
 * other users of `pg` in the process keep the default.
 */
function typeParser(id: number, format?: 'text' | 'binary'): (value: string) => unknown {
  if (id === (pg.types.builtins.INT8 as number)) return Number;
  return pg.types.getTypeParser(id, format) as (value: string) => unknown;
}
const types: pg.CustomTypesConfig = { getTypeParser: typeParser as typeof pg.types.getTypeParser };

const hasNul = (value: unknown) => typeof value === 'string' && value.includes('\0');

/** Inside WHERE clauses, replaces strings containing NUL by NULL: see `NulMatchesNothing`. */
class NulInWhereTransformer extends OperationNodeTransformer {
  #whereDepth = 0;

  protected override transformWhere(node: WhereNode): WhereNode {
    this.#whereDepth++;
    try {
      return super.transformWhere(node);
    } finally {
      this.#whereDepth--;
    }
  }

  protected override transformValue(node: ValueNode): ValueNode {
    return this.#whereDepth > 0 && hasNul(node.value) ? ValueNode.create(null) : super.transformValue(node);
  }

  protected override transformPrimitiveValueList(node: PrimitiveValueListNode): PrimitiveValueListNode {
    if (this.#whereDepth === 0 || !node.values.some(hasNul)) return super.transformPrimitiveValueList(node);
    return PrimitiveValueListNode.create(node.values.map((value) => (hasNul(value) ? null : value)));
  }
}

/**
 * PostgreSQL text cannot hold NUL, and rejects a parameter containing one with an error, where SQLite simply
 * finds no row: an id or search term with a NUL in it from a request would answer 500 instead of "not found".
 * No stored text can contain NUL on PostgreSQL, so such a value matches nothing: in WHERE clauses it becomes
 * NULL (`= NULL`, `IN (NULL)`, `LIKE NULL` are never true). Values written (INSERT, SET) are left alone: storing
 * one still fails loudly (the API refuses control characters in names before).
 */
class NulMatchesNothing implements KyselyPlugin {
  transformQuery({ node }: PluginTransformQueryArgs): RootOperationNode {
    return new NulInWhereTransformer().transformNode(node);
  }

  transformResult({ result }: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return Promise.resolve(result);
  }
}

/**
 * Opens a PostgreSQL database through a connection pool. The URL may carry libpq-style parameters, e.g.
 * `?options=-c%20search_path%3Dmedia` to keep the tables in another schema than `public`.
 */
export function openPostgres(url: string, options: { maxConnections?: number } = {}): Kysely<Database> {
  const pool = new pg.Pool({ connectionString: url, max: options.maxConnections ?? 10, types });
  // An idle connection that breaks (server restart, network) is dropped by the pool and the next query opens a
  // new one; without a listener its 'error' event would crash the process.
  pool.on('error', () => {});
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }), plugins: [new NulMatchesNothing()] });
}
