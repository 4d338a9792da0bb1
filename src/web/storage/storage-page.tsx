import { queryOptions, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import type { StorageArea, StorageFolderFigure, StorageSummary } from '../../contract';
import { ConfirmDialog } from '../components/ui/confirm-dialog';
import { ErrorState, LoadingState } from '../components/ui/status';
import { useToast } from '../components/ui/toast';
import { useItemActions } from '../files/api/mutations';
import { folderPath, type Area } from '../folders/paths';
import { apiClient } from '../lib/api-client';
import { formatBytes } from '../lib/format';
import { useDocumentTitle } from '../lib/use-document-title';
import './storage.css';

/** `GET /site-media-ext/v1/storage` (docs/api.md, "Storage"). */
export function storageQueryOptions() {
  return queryOptions({
    queryKey: ['storage'] as const,
    queryFn: ({ signal }) => apiClient.get<StorageSummary>('/site-media-ext/v1/storage', { signal }),
    // Opening the page asks again: the figures follow every change, and cost the server no scan.
    staleTime: 0,
  });
}

const AREA_NAMES: Record<StorageArea, string> = {
  SITE_FILES: 'Site Files',
  VISITOR_UPLOADS: 'Visitor Uploads',
  TRASH: 'Trash',
};
const AREA_ROUTES: Record<StorageArea, Area> = {
  SITE_FILES: 'files',
  VISITOR_UPLOADS: 'visitor',
  TRASH: 'trash',
};
const MEDIA_NAMES: Record<string, string> = {
  IMAGE: 'Images',
  VIDEO: 'Videos',
  AUDIO: 'Audio',
  DOCUMENT: 'Documents',
  VECTOR: 'Vector art',
  ARCHIVE: 'Archives',
  MODEL3D: '3D models',
  OTHER: 'Other',
  UNKNOWN: 'Other',
};
/** "Review largest": Site Files by size, largest first, as a list. */
const REVIEW_LARGEST = '/?sort=size&order=desc&view=list';

const count = (n: number, one: string, many: string) => `${n.toLocaleString()} ${n === 1 ? one : many}`;
const share = (part: number, whole: number) =>
  whole > 0 ? Math.max(part > 0 ? 0.5 : 0, (part / whole) * 100) : 0;

/** The Storage page: what the site's files use, where, and the actions that free space. */
export function StoragePage() {
  useDocumentTitle('Storage');
  const query = useQuery(storageQueryOptions());
  if (query.isPending) return <LoadingState label="Loading storage…" />;
  if (query.isError) {
    return (
      <ErrorState
        title="Storage could not be loaded"
        message={query.error.message}
        onRetry={() => void query.refetch()}
        retrying={query.isFetching}
      />
    );
  }
  return <StorageView summary={query.data} />;
}

function StorageView({ summary }: { summary: StorageSummary }) {
  const { total, areas, mediaTypes, topFolders, largestFiles, duplicates, quota } = summary;
  const trash = areas.find((a) => a.area === 'TRASH');
  const maxType = Math.max(1, ...mediaTypes.map((m) => m.bytes));
  const maxFolder = Math.max(1, ...topFolders.map((f) => f.bytes));
  return (
    <div className="storage">
      <header className="storage__header">
        <h1 className="storage__title">Storage</h1>
        <p className="storage__total">
          <strong>{formatBytes(total.bytes)}</strong> in {count(total.files, 'file', 'files')}
          {quota.siteBytes !== null ? ` of ${formatBytes(quota.siteBytes)} allowed` : ''}
        </p>
        <StorageActions
          trashBytes={trash?.bytes ?? 0}
          trashFiles={trash?.files ?? 0}
          duplicates={duplicates.duplicateFiles}
        />
      </header>

      {quota.siteBytes !== null ? (
        <Meter label="Site quota" used={total.bytes} limit={quota.siteBytes} />
      ) : null}
      {quota.visitorBytes !== null ? (
        <Meter label="Visitor Uploads quota" used={quota.visitorUsedBytes} limit={quota.visitorBytes} />
      ) : null}

      <section className="storage__card" aria-labelledby="storage-areas">
        <h2 id="storage-areas">By area</h2>
        <div
          className="storage__stack"
          role="img"
          aria-label={areas.map((a) => `${AREA_NAMES[a.area]} ${formatBytes(a.bytes)}`).join(', ')}
        >
          {areas.map((a) => (
            <span
              key={a.area}
              className={`storage__segment storage__segment--${a.area.toLowerCase()}`}
              style={{ width: `${share(a.bytes, total.bytes)}%` }}
            />
          ))}
        </div>
        <ul className="storage__legend">
          {areas.map((a) => (
            <li key={a.area}>
              <span
                className={`storage__swatch storage__segment--${a.area.toLowerCase()}`}
                aria-hidden="true"
              />
              <Link to={folderPath(AREA_ROUTES[a.area], rootOf(a.area))}>{AREA_NAMES[a.area]}</Link>
              <span className="storage__figure">
                {formatBytes(a.bytes)} · {count(a.files, 'file', 'files')}
              </span>
            </li>
          ))}
        </ul>
      </section>

      <div className="storage__grid">
        <section className="storage__card" aria-labelledby="storage-types">
          <h2 id="storage-types">By media type</h2>
          {mediaTypes.length === 0 ? (
            <p className="storage__empty">No files yet.</p>
          ) : (
            <ul className="storage__bars">
              {mediaTypes.map((m) => (
                <BarRow
                  key={m.mediaType}
                  name={MEDIA_NAMES[m.mediaType] ?? m.mediaType}
                  detail={`${formatBytes(m.bytes)} · ${count(m.files, 'file', 'files')}`}
                  percent={share(m.bytes, maxType)}
                />
              ))}
            </ul>
          )}
        </section>

        <section className="storage__card" aria-labelledby="storage-folders">
          <h2 id="storage-folders">Top folders</h2>
          {topFolders.length === 0 ? (
            <p className="storage__empty">No files in folders yet.</p>
          ) : (
            <ul className="storage__bars">
              {topFolders.map((f) => (
                <BarRow
                  key={`${f.area}/${f.folderId}`}
                  name={
                    <Link to={folderLink(f)}>
                      {f.isRoot ? `${f.displayName} (top level)` : f.displayName}
                    </Link>
                  }
                  detail={`${formatBytes(f.bytes)} · ${count(f.files, 'file', 'files')}${f.area === 'VISITOR_UPLOADS' && !f.isRoot ? ' · Visitor Uploads' : ''}`}
                  percent={share(f.bytes, maxFolder)}
                />
              ))}
            </ul>
          )}
        </section>

        <section className="storage__card" aria-labelledby="storage-largest">
          <div className="storage__card-head">
            <h2 id="storage-largest">Largest files</h2>
            <Link className="storage__more" to={REVIEW_LARGEST}>
              Review largest
            </Link>
          </div>
          {largestFiles.length === 0 ? (
            <p className="storage__empty">No files yet.</p>
          ) : (
            <ol className="storage__files">
              {largestFiles.map((f) => (
                <li key={f.id}>
                  <Link
                    to={`${folderPath(AREA_ROUTES[f.area], f.parentFolderId)}?item=${encodeURIComponent(`file:${f.id}`)}`}
                    className="storage__file-name"
                  >
                    {f.displayName}
                  </Link>
                  <span className="storage__figure">{formatBytes(f.sizeInBytes)}</span>
                </li>
              ))}
            </ol>
          )}
        </section>

        <section className="storage__card" aria-labelledby="storage-duplicates">
          <h2 id="storage-duplicates">Duplicates</h2>
          {duplicates.duplicateFiles === 0 ? (
            <p className="storage__empty">No duplicate files.</p>
          ) : (
            <p>
              <strong>{formatBytes(duplicates.wastedBytes)}</strong> used by{' '}
              {count(duplicates.duplicateFiles, 'extra copy', 'extra copies')} of files with the same content.
            </p>
          )}
          <Link className="storage__more" to="/duplicates">
            Merge duplicates
          </Link>
        </section>
      </div>
    </div>
  );
}

function rootOf(area: StorageArea): string {
  return area === 'VISITOR_UPLOADS' ? 'visitor-uploads' : area === 'TRASH' ? 'trash-root' : 'media-root';
}

function folderLink(f: StorageFolderFigure): string {
  return folderPath(AREA_ROUTES[f.area], f.folderId);
}

function BarRow({ name, detail, percent }: { name: React.ReactNode; detail: string; percent: number }) {
  return (
    <li className="storage__bar-row">
      <span className="storage__bar-name">{name}</span>
      <span className="storage__figure">{detail}</span>
      <span className="storage__bar" aria-hidden="true">
        <span style={{ width: `${percent}%` }} />
      </span>
    </li>
  );
}

function Meter({ label, used, limit }: { label: string; used: number; limit: number }) {
  const percent = Math.min(100, (used / limit) * 100);
  const text = `${formatBytes(used)} of ${formatBytes(limit)} (${Math.round(percent)}%)`;
  return (
    <div className="storage__meter">
      <div className="storage__meter-label">
        <span id={`meter-${label}`}>{label}</span>
        <span className="storage__figure">{text}</span>
      </div>
      <div
        className={`storage__bar storage__bar--meter${percent >= 90 ? ' storage__bar--full' : ''}`}
        role="meter"
        aria-labelledby={`meter-${label}`}
        aria-valuemin={0}
        aria-valuemax={limit}
        aria-valuenow={Math.min(used, limit)}
        aria-valuetext={text}
      >
        <span style={{ width: `${percent}%` }} />
      </div>
    </div>
  );
}

function StorageActions({
  trashBytes,
  trashFiles,
  duplicates,
}: {
  trashBytes: number;
  trashFiles: number;
  duplicates: number;
}) {
  const [confirming, setConfirming] = useState(false);
  const actions = useItemActions();
  const toast = useToast();
  const client = useQueryClient();
  return (
    <div className="storage__actions">
      <button
        type="button"
        className="button button--danger"
        disabled={trashFiles === 0}
        onClick={() => setConfirming(true)}
      >
        Empty trash{trashFiles > 0 ? ` (${formatBytes(trashBytes)})` : ''}
      </button>
      <Link className="button" to={REVIEW_LARGEST}>
        Review largest
      </Link>
      <Link className="button" to="/duplicates">
        Merge duplicates{duplicates > 0 ? ` (${duplicates.toLocaleString()})` : ''}
      </Link>
      {confirming ? (
        <ConfirmDialog
          open={confirming}
          onOpenChange={setConfirming}
          title="Empty the trash?"
          description="Everything in the trash is deleted forever, with its bytes. Pages that still use these files will break. This cannot be undone."
          confirmLabel="Empty trash"
          destructive
          onConfirm={async () => {
            toast({ title: await actions.emptyTrash() });
            await client.invalidateQueries({ queryKey: storageQueryOptions().queryKey });
          }}
        />
      ) : null}
    </div>
  );
}
