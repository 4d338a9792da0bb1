/** What the list-latency benchmark times (`list-latency.ts`): each page over HTTP and through the store. */
import type { FileSortColumn, ListingFilter } from '../src/server/stores/sql-helpers.ts';
import type { Stats } from './library-seed.ts';
import { COMMON_TERM, EDGE_TERM, MID_TERM, RARE_TERM } from './list-latency-rows.ts';

/** Files per page. */
export const PAGE = 50;

export interface Scenario {
  name: string;
  /** For deep pages: the name of the first-page scenario it is compared with. */
  firstOf?: string;
  http: { method: 'GET' | 'POST'; path: string; body?: unknown };
  /** The store call the service makes for the same page (limit + 1 rows, as `pageOf` asks). */
  store: {
    filter: ListingFilter;
    column: FileSortColumn;
    order: 'ASC' | 'DESC';
    after: readonly [string | number, string] | null;
  };
  /** What the page must start with, checked once before measuring. */
  expectFirstId?: string;
  expectCount?: number;
}

export interface Result {
  scenario: Scenario;
  files: number;
  http: Stats;
  inProcess: Stats;
}

/** A page half-way into the big folder: its cursor, the position it stands for and the id it starts with. */
export interface DeepPage {
  cursor: string;
  position: readonly [string | number, string];
  nextId: string;
  filter: ListingFilter;
}

/** The scenarios of one library: lists of the big folder (first and deep pages, two sorts), searches, trash. */
export function listScenarios(
  bigFolderId: string,
  counts: { common: number; mid: number; edge: number; rare: number; trash: number },
  deepDefault: DeepPage,
  deepByName: DeepPage,
): Scenario[] {
  const listPath = `/files?parentFolderId=${encodeURIComponent(bigFolderId)}&paging.limit=${PAGE}`;
  const liveFilter: ListingFilter = { locationId: bigFolderId, state: 'OK' };
  return [
    {
      name: 'list first page (updatedDate DESC)',
      http: { method: 'GET', path: listPath },
      store: { filter: liveFilter, column: 'updated_date', order: 'DESC', after: null },
      expectCount: PAGE,
    },
    {
      name: 'list deep page (updatedDate DESC)',
      firstOf: 'list first page (updatedDate DESC)',
      http: {
        method: 'GET',
        path: `/files?paging.limit=${PAGE}&paging.cursor=${encodeURIComponent(deepDefault.cursor)}`,
      },
      store: {
        filter: deepDefault.filter,
        column: 'updated_date',
        order: 'DESC',
        after: deepDefault.position,
      },
      expectFirstId: deepDefault.nextId,
      expectCount: PAGE,
    },
    {
      name: 'list first page (displayName ASC)',
      http: { method: 'GET', path: `${listPath}&sort.fieldName=displayName&sort.order=ASC` },
      store: { filter: liveFilter, column: 'sort_name', order: 'ASC', after: null },
      expectCount: PAGE,
    },
    {
      name: 'list deep page (displayName ASC)',
      firstOf: 'list first page (displayName ASC)',
      http: {
        method: 'GET',
        path: `/files?paging.limit=${PAGE}&paging.cursor=${encodeURIComponent(deepByName.cursor)}`,
      },
      store: { filter: deepByName.filter, column: 'sort_name', order: 'ASC', after: deepByName.position },
      expectFirstId: deepByName.nextId,
      expectCount: PAGE,
    },
    {
      name: `search "${COMMON_TERM}" (${counts.common.toLocaleString('en')} matches)`,
      http: {
        method: 'POST',
        path: '/files/search',
        body: { search: COMMON_TERM, paging: { limit: PAGE } },
      },
      store: {
        filter: { scope: 'MEDIA_ROOT', search: COMMON_TERM },
        column: 'updated_date',
        order: 'DESC',
        after: null,
      },
      expectCount: PAGE,
    },
    {
      name: `search "${MID_TERM}" (${counts.mid.toLocaleString('en')} matches)`,
      http: { method: 'POST', path: '/files/search', body: { search: MID_TERM, paging: { limit: PAGE } } },
      store: {
        filter: { scope: 'MEDIA_ROOT', search: MID_TERM },
        column: 'updated_date',
        order: 'DESC',
        after: null,
      },
      expectCount: Math.min(PAGE, counts.mid),
    },
    {
      name: `search "${EDGE_TERM}" (${counts.edge.toLocaleString('en')} matches)`,
      http: { method: 'POST', path: '/files/search', body: { search: EDGE_TERM, paging: { limit: PAGE } } },
      store: {
        filter: { scope: 'MEDIA_ROOT', search: EDGE_TERM },
        column: 'updated_date',
        order: 'DESC',
        after: null,
      },
      expectCount: Math.min(PAGE, counts.edge),
    },
    {
      name: `search "${RARE_TERM}" (${counts.rare} matches)`,
      http: { method: 'POST', path: '/files/search', body: { search: RARE_TERM, paging: { limit: PAGE } } },
      store: {
        filter: { scope: 'MEDIA_ROOT', search: RARE_TERM },
        column: 'updated_date',
        order: 'DESC',
        after: null,
      },
      expectCount: Math.min(PAGE, counts.rare),
    },
    {
      name: `trash listing (${counts.trash.toLocaleString('en')} in trash)`,
      http: { method: 'GET', path: `/trash-bin/files?paging.limit=${PAGE}` },
      store: {
        filter: { locationId: 'trash-root', state: 'DELETED' },
        column: 'updated_date',
        order: 'DESC',
        after: null,
      },
      expectCount: Math.min(PAGE, counts.trash),
    },
  ];
}
