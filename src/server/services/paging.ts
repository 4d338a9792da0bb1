import { PAGE_LIMIT_DEFAULT, type NextCursor, type SortOrder } from '../../contract/index.ts';
import type { KeysetPosition, ListingFilter } from '../stores/sql-helpers.ts';
import type { CursorCodec } from './cursors.ts';

export interface PageRequest {
  limit?: number | undefined;
  cursor?: string | null | undefined;
}

export interface ListingSpec<Field extends string> {
  filter: ListingFilter;
  sort: { fieldName: Field; order: SortOrder };
}

export interface Page<Row> {
  rows: Row[];
  nextCursor: NextCursor;
}

/**
 * Runs one page of a keyset-paged listing. Without a cursor the listing comes from the request (`spec`); with
 * one, filter and sort come from the cursor and only the limit from the request.
 */
export async function pageOf<Row extends { id: string }, Field extends string, Column extends string>(args: {
  codec: CursorCodec;
  listing: string;
  cursorField: string;
  request: PageRequest;
  spec: () => Promise<ListingSpec<Field>> | ListingSpec<Field>;
  column: (field: Field) => Column;
  fetch: (
    filter: ListingFilter,
    column: Column,
    order: SortOrder,
    after: KeysetPosition | null,
    limit: number,
  ) => Promise<Row[]>;
}): Promise<Page<Row>> {
  const { codec, listing, cursorField, request } = args;
  const limit = request.limit ?? PAGE_LIMIT_DEFAULT;
  let spec: ListingSpec<Field>;
  let after: KeysetPosition | null = null;
  if (request.cursor) {
    const state = codec.decode<ListingFilter>(request.cursor, listing, cursorField);
    spec = { filter: state.filter, sort: state.sort as ListingSpec<Field>['sort'] };
    after = state.position;
  } else {
    spec = await args.spec();
  }
  const column = args.column(spec.sort.fieldName);
  const fetched = await args.fetch(spec.filter, column, spec.sort.order, after, limit + 1);
  const hasNext = fetched.length > limit;
  const rows = hasNext ? fetched.slice(0, limit) : fetched;
  const last = rows.at(-1);
  const next =
    hasNext && last
      ? codec.encode({
          listing,
          filter: spec.filter,
          sort: spec.sort,
          position: [(last as unknown as Record<Column, string | number>)[column], last.id] as const,
        })
      : null;
  return { rows, nextCursor: { cursors: { next }, hasNext } };
}
