import { z } from 'zod';
import {
  CURSOR_MAX,
  FILE_SORT_FIELDS,
  FOLDER_SORT_FIELDS,
  ID_MAX,
  MEDIA_TYPES,
  PAGE_LIMIT_MAX,
  ROOT_FOLDERS,
  SEARCH_TEXT_MAX,
  SORT_ORDERS,
  type FieldViolation,
  type SortOrder,
} from '../../contract/index.ts';
import { ApiError, ValidationError } from '../errors.ts';

/** Turns zod's issue path into the contract's field name: `query.sort[0].fieldName`. */
function fieldOf(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, key) => {
    if (typeof key === 'number') return `${out}[${key}]`;
    return out ? `${out}.${String(key)}` : String(key);
  }, '');
}

/** Parses input with a schema, or throws a 400 whose fieldViolations name every bad field. */
export function parse<S extends z.ZodType>(schema: S, input: unknown, prefix = ''): z.output<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const violations: FieldViolation[] = result.error.issues.map((issue) => ({
    field: fieldOf([...(prefix ? [prefix] : []), ...issue.path]) || '(body)',
    description: issue.message,
  }));
  throw new ValidationError(violations);
}

/**
 * Query strings use dotted names for nested fields (`paging.limit=10`) and repeated keys for arrays. Turns
 * `{'paging.limit': '10'}` into `{paging: {limit: '10'}}`.
 */
export function unflatten(query: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(query)) {
    const parts = key.split('.');
    if (parts.some((p) => p === '' || p === '__proto__' || p === 'constructor' || p === 'prototype'))
      continue;
    let node = out;
    for (const part of parts.slice(0, -1)) {
      const child = node[part];
      if (typeof child !== 'object' || child === null || Array.isArray(child)) node[part] = {};
      node = node[part] as Record<string, unknown>;
    }
    node[parts.at(-1)!] = value;
  }
  return out;
}

/** In a query string a single value is a string, a repeated one an array; either way: an array. */
export function queryArray<T extends z.ZodType>(item: T) {
  return z.preprocess((v) => (v === undefined || Array.isArray(v) ? v : [v]), z.array(item));
}

/** `true`/`false` in query strings, real booleans in bodies. */
export const flexibleBoolean = z.preprocess((v) => {
  if (v === 'true') return true;
  if (v === 'false') return false;
  return v;
}, z.boolean());

/** An integer sent as a number or (as the contract does for 64-bit numbers) a decimal string. */
export function flexibleInt(min: number, max: number) {
  return z.preprocess(
    (v) => (typeof v === 'string' && /^-?\d{1,16}$/.test(v.trim()) ? Number(v) : v),
    z.number().int().min(min).max(max),
  );
}

export const id = z.string().min(1).max(ID_MAX);
export const cursor = z.string().min(1).max(CURSOR_MAX);
export const pagingLimit = flexibleInt(1, PAGE_LIMIT_MAX);
export const paging = z.object({ limit: pagingLimit.optional(), cursor: cursor.nullish() }).optional();
export const sortOrder = z.enum(SORT_ORDERS);
export const searchText = z.string().max(SEARCH_TEXT_MAX);
export const rootFolder = z.enum(ROOT_FOLDERS);
export const mediaType = z.enum(MEDIA_TYPES);

/**
 * A sort: `fieldName` must be one of `fields` (else UNSUPPORTED_SORT_VALUE, as Wix answers), `order` defaults
 * to ASC.
 */
export function sortOf<T extends readonly [string, ...string[]]>(fields: T, field = 'sort.fieldName') {
  return z
    .object({ fieldName: z.string().max(100), order: sortOrder.optional() })
    .transform((s): { fieldName: T[number]; order: SortOrder } => {
      if (!(fields as readonly string[]).includes(s.fieldName)) {
        throw new ApiError(
          'UNSUPPORTED_SORT_VALUE',
          `Cannot sort by "${s.fieldName}"; use ${fields.join(', ')}`,
          {
            field,
            supported: [...fields],
          },
        );
      }
      return { fieldName: s.fieldName, order: s.order ?? 'ASC' };
    });
}

export const fileSort = sortOf(FILE_SORT_FIELDS);
export const folderSort = sortOf(FOLDER_SORT_FIELDS);
