import { z } from 'zod';
import { ApiError, invalid } from '../errors.ts';
import type { PageRequest } from '../services/paging.ts';
import { cursor, pagingLimit, parse, sortOf } from './validation.ts';

export interface QueryRequest<Field extends string> {
  /** Field -> value (equality) or array of values (`$in`). */
  filter: Record<string, unknown>;
  sort: { fieldName: Field; order: 'ASC' | 'DESC' } | undefined;
  paging: PageRequest;
}

const FILTER_PATH = 'query.filter';
/** `$and` inside `$and` is legal but never needed deeply; the bound keeps a hostile body from eating the stack. */
const MAX_AND_DEPTH = 8;

/**
 * Flattens a Wix query filter into field conditions. Accepted: `{field: value}`, `{field: {$eq: value}}`,
 * `{field: {$in: [...]}}`, and `$and` of those (the SDK's query builder joins several conditions with `$and`).
 */
function collect(filter: unknown, out: Map<string, { op: '$eq' | '$in'; value: unknown }>, depth = 0): void {
  if (filter === undefined || filter === null) return;
  if (depth > MAX_AND_DEPTH) throw invalid(FILTER_PATH, `nests $and more than ${MAX_AND_DEPTH} deep`);
  if (typeof filter !== 'object' || Array.isArray(filter)) throw invalid(FILTER_PATH, 'must be an object');
  for (const [key, raw] of Object.entries(filter as Record<string, unknown>)) {
    if (key === '$and') {
      if (!Array.isArray(raw) || raw.length > 20)
        throw invalid(`${FILTER_PATH}.$and`, 'must be an array of filters');
      for (const part of raw) collect(part, out, depth + 1);
      continue;
    }
    if (key.startsWith('$')) throw invalid(`${FILTER_PATH}.${key}`, 'operator not supported here');
    if (out.has(key)) throw invalid(`${FILTER_PATH}.${key}`, 'may be given only once');
    if (raw !== null && typeof raw === 'object' && !Array.isArray(raw)) {
      const ops = Object.entries(raw as Record<string, unknown>);
      const [op, value] = ops[0] ?? [];
      if (ops.length !== 1 || (op !== '$eq' && op !== '$in')) {
        throw invalid(
          `${FILTER_PATH}.${key}`,
          'supported conditions are a value, {"$eq": value} or {"$in": [values]}',
        );
      }
      out.set(key, { op, value });
    } else {
      out.set(key, { op: '$eq', value: raw });
    }
  }
}

/** Parses `{query: {filter, sort: [{fieldName, order}], cursorPaging: {limit, cursor}}}`. */
export function parseQueryRequest<Field extends string>(
  body: unknown,
  options: {
    fields: Record<string, z.ZodType>;
    inFields?: string[];
    sortFields: readonly [Field, ...Field[]];
  },
): QueryRequest<Field> {
  const envelope = parse(
    z.object({
      query: z
        .object({
          filter: z.unknown().optional(),
          sort: z.array(z.unknown()).max(5).optional(),
          cursorPaging: z.object({ limit: pagingLimit.optional(), cursor: cursor.nullish() }).optional(),
        })
        .optional(),
    }),
    body,
  );
  const query = envelope.query ?? {};
  const conditions = new Map<string, { op: '$eq' | '$in'; value: unknown }>();
  collect(query.filter, conditions);
  const filter: Record<string, unknown> = {};
  for (const [field, { op, value }] of conditions) {
    // The field name is the caller's: only the listed fields count, never `constructor` and the like.
    const schema = Object.hasOwn(options.fields, field) ? options.fields[field] : undefined;
    if (!schema) {
      throw invalid(
        `${FILTER_PATH}.${field}`,
        `cannot filter by ${field}; use ${Object.keys(options.fields).join(', ')}`,
      );
    }
    if (op === '$in') {
      if (!options.inFields?.includes(field))
        throw invalid(`${FILTER_PATH}.${field}`, '$in is not supported here');
      filter[field] = parse(z.array(schema).min(1).max(20), value, `${FILTER_PATH}.${field}.$in`);
    } else {
      filter[field] = parse(schema, value, `${FILTER_PATH}.${field}`);
    }
  }
  const sorts = query.sort ?? [];
  if (sorts.length > 1) {
    throw new ApiError('UNSUPPORTED_SORT_VALUE', 'Only one sort field is supported', { field: 'query.sort' });
  }
  const sort =
    sorts[0] === undefined
      ? undefined
      : parse(sortOf(options.sortFields, 'query.sort[0].fieldName'), sorts[0], 'query.sort[0]');
  return { filter, sort, paging: query.cursorPaging ?? {} };
}
