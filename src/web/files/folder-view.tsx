import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { Button } from '../components/ui/button';
import { FileIcon, FolderIcon } from '../components/ui/icons';
import { EmptyState, ErrorState, LoadingState } from '../components/ui/status';
import { isApiError } from '../lib/api-client';
import { formatBytes } from '../lib/format';
import { useDocumentTitle } from '../lib/use-document-title';
import { fileListQueryOptions } from './api/files';
import { folderListQueryOptions, folderQueryOptions } from './api/folders';
import type { FileDescriptor, Folder, MediaType } from './api/types';
import { folderPath, rootFolderName } from './paths';

const MEDIA_TYPE_LABELS: Record<MediaType, string> = {
  IMAGE: 'Image',
  VIDEO: 'Video',
  AUDIO: 'Audio',
  DOCUMENT: 'Document',
  VECTOR: 'Vector',
  ARCHIVE: 'Archive',
  MODEL3D: '3D model',
  OTHER: 'File',
  UNKNOWN: 'File',
};

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : 'Something went wrong.';
}

function isNotFound(error: unknown): boolean {
  return isApiError(error) && error.status === 404;
}

/** The contents of one folder: its sub-folders, then its files, a page at a time. */
export function FolderView({ folderId }: { folderId: string }) {
  const rootName = rootFolderName(folderId);
  const folder = useQuery({ ...folderQueryOptions(folderId), enabled: rootName === null });
  const folders = useInfiniteQuery(folderListQueryOptions(folderId));
  const files = useInfiniteQuery(fileListQueryOptions(folderId));

  const title = rootName ?? folder.data?.displayName ?? 'Folder';
  const parentId = folder.data?.parentFolderId;
  useDocumentTitle(title);

  const folderItems = folders.data?.pages.flatMap((page) => page.folders) ?? [];
  const fileItems = files.data?.pages.flatMap((page) => page.files) ?? [];

  let content;
  if ([folder.error, folders.error, files.error].some(isNotFound)) {
    content = (
      <ErrorState
        title="This folder does not exist"
        message="It may have been deleted or moved to the trash."
      >
        <Link to="/">Go to Site Files</Link>
      </ErrorState>
    );
  } else if (folders.isPending || files.isPending) {
    content = <LoadingState label="Loading folder…" />;
  } else if ((folders.isError && !folders.data) || (files.isError && !files.data)) {
    // Only a first page that failed is an error for the whole view; a failed background refresh keeps showing
    // what was loaded, and a failed "load more" is reported under the list.
    const failed = [folders, files].filter((query) => query.isError && !query.data);
    content = (
      <ErrorState
        title="Could not load this folder"
        message={errorText(failed[0]?.error)}
        retrying={failed.some((query) => query.isFetching)}
        onRetry={() => failed.forEach((query) => void query.refetch())}
      />
    );
  } else if (
    folderItems.length === 0 &&
    fileItems.length === 0 &&
    !folders.hasNextPage &&
    !files.hasNextPage
  ) {
    content = <EmptyState title="This folder is empty" />;
  } else {
    const loadingMore = folders.isFetchingNextPage || files.isFetchingNextPage;
    const moreError = folders.isFetchNextPageError || files.isFetchNextPageError;
    content = (
      <>
        <ul className="item-list" role="list" aria-label={`Contents of ${title}`}>
          {folderItems.map((item) => (
            <FolderItem key={`folder:${item.id}`} folder={item} />
          ))}
          {fileItems.map((item) => (
            <FileItem key={`file:${item.id}`} file={item} />
          ))}
        </ul>
        {moreError ? (
          <p className="form__error" role="alert">
            Could not load more items. {errorText(folders.error ?? files.error)}
          </p>
        ) : null}
        {folders.hasNextPage || files.hasNextPage ? (
          <div className="load-more">
            <Button
              onClick={() => void (folders.hasNextPage ? folders.fetchNextPage() : files.fetchNextPage())}
              disabled={loadingMore}
            >
              {loadingMore ? 'Loading…' : 'Load more'}
            </Button>
          </div>
        ) : null}
      </>
    );
  }

  return (
    <section className="folder" aria-labelledby="folder-title">
      <div className="folder__header">
        {parentId ? (
          <Link className="folder__up" to={folderPath(parentId)}>
            <span aria-hidden="true">←</span> {rootFolderName(parentId) ?? 'Up one level'}
          </Link>
        ) : null}
        <h1 id="folder-title" className="folder__title">
          {title}
        </h1>
      </div>
      {content}
    </section>
  );
}

function FolderItem({ folder }: { folder: Folder }) {
  return (
    <li className="item">
      <Link className="item__link" to={folderPath(folder.id)}>
        <span className="item__icon item__icon--folder">
          <FolderIcon />
        </span>
        <span className="item__name">{folder.displayName}</span>
        <span className="item__meta">Folder</span>
      </Link>
    </li>
  );
}

function FileItem({ file }: { file: FileDescriptor }) {
  const meta = [MEDIA_TYPE_LABELS[file.mediaType] ?? 'File', formatBytes(file.sizeInBytes)];
  if (file.private) meta.push('Private');
  if (file.operationStatus === 'PENDING') meta.push('Processing…');
  if (file.operationStatus === 'FAILED') meta.push('Processing failed');
  return (
    <li className="item">
      <div className="item__row">
        <FileThumbnail url={file.thumbnailUrl} />
        <span className="item__name">{file.displayName}</span>
        <span className="item__meta">{meta.filter(Boolean).join(' · ')}</span>
      </div>
    </li>
  );
}

function FileThumbnail({ url }: { url: string | null | undefined }) {
  const [failed, setFailed] = useState(false);
  if (!url || failed) {
    return (
      <span className="item__icon">
        <FileIcon />
      </span>
    );
  }
  return (
    <img
      className="item__thumb"
      src={url}
      alt=""
      width={40}
      height={40}
      loading="lazy"
      decoding="async"
      onError={() => setFailed(true)}
    />
  );
}
