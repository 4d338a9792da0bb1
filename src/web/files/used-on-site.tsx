import { useQuery } from '@tanstack/react-query';
import { fileReferencesQueryOptions, type FileReferences } from './api/file-extras';
import type { Item } from './api/items';

/** "https://shop.example.com: /products/tea, /about" */
function pagesOf(references: FileReferences): string {
  const { origin, externalIds = [] } = references.externalInfo;
  return origin ? `${origin}: ${externalIds.join(', ')}` : externalIds.join(', ');
}

/** The info panel's "Used on site": the pages sites say use this file (their `externalInfo`). */
export function UsedOnSite({ fileId }: { fileId: string }) {
  const references = useQuery(fileReferencesQueryOptions([fileId]));
  const mine = references.data?.[0];
  return (
    <div className="field">
      <span className="field__label">Used on site</span>
      {mine ? (
        <ul className="used-on small" aria-label="Pages using this file" data-testid="used-on-site">
          {(mine.externalInfo.externalIds ?? []).map((page) => (
            <li key={page}>
              {mine.externalInfo.origin ? `${mine.externalInfo.origin} ` : ''}
              {page}
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted small">{references.isPending ? '…' : 'No site has reported using it.'}</p>
      )}
    </div>
  );
}

/**
 * Before files go to the trash: which of them pages use, and which pages (files inside a folder being trashed
 * are not looked up: only the files chosen themselves).
 */
export function UsedOnSiteWarning({ items }: { items: readonly Item[] }) {
  const fileIds = items.flatMap((item) => (item.kind === 'file' ? [item.file.id] : []));
  const references = useQuery(fileReferencesQueryOptions(fileIds));
  const used = references.data ?? [];
  if (used.length === 0) return null;
  return (
    <div className="warning-box" role="note" data-testid="used-on-site-warning">
      <strong>
        {used.length === 1
          ? 'This file is used on your site'
          : `${used.length} of these files are used on your site`}
      </strong>
      {used.length === 1
        ? '. Its pages keep working while it is in the trash, and break once it is deleted forever.'
        : '. Their pages keep working while they are in the trash, and break once they are deleted forever.'}
      <ul className="used-on small">
        {used.slice(0, 10).map((file) => (
          <li key={file.id}>
            {fileIds.length > 1 ? `${file.displayName}: ` : ''}
            {pagesOf(file)}
          </li>
        ))}
        {used.length > 10 ? <li>…and {used.length - 10} more files</li> : null}
      </ul>
    </div>
  );
}
