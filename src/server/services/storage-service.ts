import {
  MEDIA_ROOT_ID,
  VISITOR_UPLOADS_ROOT_ID,
  type StorageArea,
  type StorageAreaFigure,
  type StorageFolderFigure,
  type StorageMediaTypeFigure,
  type StorageSummary,
} from '../../contract/index.ts';
import type { MetadataStore } from '../stores/metadata-store.ts';
import type { Scope } from '../stores/schema.ts';

/** Top folders and largest files listed. */
const TOP_FOLDERS = 8;
const LARGEST_FILES = 10;

const AREA_OF: Record<Scope, StorageArea> = {
  MEDIA_ROOT: 'SITE_FILES',
  VISITOR_UPLOADS_ROOT: 'VISITOR_UPLOADS',
  TRASH_ROOT: 'TRASH',
};

const byBytes = (a: { bytes: number }, b: { bytes: number }) => b.bytes - a.bytes;

/**
 * The Storage page's summary. It reads only the aggregates the database keeps (`StorageStore`) and
 * index-bounded queries, so it costs the same at 1,000 files as at 1,000,000 (the top folders walk the live
 * folders, not the files). One read-only transaction, so the figures agree with each other without waiting for
 * writers (see `MetadataStore.readTransaction`).
 */
export class StorageService {
  constructor(
    private readonly store: MetadataStore,
    private readonly quota: { siteBytes: number | null; visitorBytes: number | null },
  ) {}

  summary(): Promise<StorageSummary> {
    return this.store.readTransaction(async (store) => {
      const totals = await store.storage.totals();
      const areas: StorageAreaFigure[] = (['SITE_FILES', 'VISITOR_UPLOADS', 'TRASH'] as const).map((area) => {
        const rows = totals.filter((t) => AREA_OF[t.scope] === area);
        return {
          area,
          files: sum(rows, 'files'),
          bytes: sum(rows, 'bytes'),
          mediaTypes: rows.map(({ mediaType, files, bytes }) => ({ mediaType, files, bytes })).sort(byBytes),
        };
      });
      const live = new Map<string, StorageMediaTypeFigure>();
      for (const t of totals) {
        if (t.scope === 'TRASH_ROOT') continue;
        const figure = live.get(t.mediaType) ?? { mediaType: t.mediaType, files: 0, bytes: 0 };
        figure.files += t.files;
        figure.bytes += t.bytes;
        live.set(t.mediaType, figure);
      }

      const topFolders: StorageFolderFigure[] = [];
      for (const [area, rootId, name] of [
        ['SITE_FILES', MEDIA_ROOT_ID, 'Site Files'],
        ['VISITOR_UPLOADS', VISITOR_UPLOADS_ROOT_ID, 'Visitor Uploads'],
      ] as const) {
        for (const f of await store.storage.topFolders(rootId, TOP_FOLDERS)) {
          topFolders.push({
            area,
            folderId: f.id,
            displayName: f.displayName,
            files: f.files,
            bytes: f.bytes,
            isRoot: false,
          });
        }
        const own = await store.storage.directTotal(rootId);
        if (own.files > 0)
          topFolders.push({ area, folderId: rootId, displayName: name, ...own, isRoot: true });
      }

      const largest = await store.storage.largestFiles(LARGEST_FILES);
      return {
        total: { files: sum(areas, 'files'), bytes: sum(areas, 'bytes') },
        areas,
        mediaTypes: [...live.values()].sort(byBytes),
        topFolders: topFolders.sort(byBytes).slice(0, TOP_FOLDERS),
        largestFiles: largest.map((r) => ({
          id: r.id,
          displayName: r.display_name,
          sizeInBytes: r.size_in_bytes,
          mediaType: r.media_type,
          mimeType: r.mime_type,
          parentFolderId: r.parent_folder_id,
          area: r.scope === 'VISITOR_UPLOADS_ROOT' ? 'VISITOR_UPLOADS' : 'SITE_FILES',
        })),
        duplicates: await store.storage.duplicates(),
        quota: { ...this.quota, visitorUsedBytes: await store.usage.visitorUsageBytes() },
      };
    });
  }
}

function sum<K extends string>(rows: readonly Record<K, number>[], key: K): number {
  return rows.reduce((n, r) => n + r[key], 0);
}
