import type { ReactNode } from 'react';
import { EmptyState, ErrorState, LoadingState } from '../components/ui/status';
import type { BrowserListing } from './use-browser-listing';
import type { ViewState } from './view-state';

/**
 * The browser's content while there is nothing to list: loading, the error (with Retry), or an empty state that
 * says why (nothing matches, empty trash, empty folder) and what to do. Otherwise `children` (the grid).
 */
export function ListingStates({
  listing,
  view,
  inTrash,
  canUpload,
  children,
}: {
  listing: BrowserListing;
  view: ViewState;
  inTrash: boolean;
  canUpload: boolean;
  children: ReactNode;
}) {
  const query = listing.listing;
  if (query.isPending) {
    return <LoadingState label="Loading…" />;
  } else if (query.isError && !query.data) {
    return (
      <ErrorState
        title={
          query.error && 'status' in query.error && query.error.status === 404
            ? 'This folder does not exist'
            : 'Could not load this folder'
        }
        message={query.error instanceof Error ? query.error.message : undefined}
        retrying={query.isFetching}
        onRetry={() => void query.refetch()}
      />
    );
  } else if (listing.items.length === 0 && listing.farEnd.endLoaded) {
    return (
      <EmptyState
        title={
          view.search || view.type
            ? 'Nothing matches'
            : inTrash
              ? 'The trash is empty'
              : 'This folder is empty'
        }
      >
        <p className="muted">
          {view.search || view.type
            ? 'Try other words, or clear the search and the type filter.'
            : inTrash
              ? 'Deleted files and folders stay here until they are deleted forever.'
              : canUpload
                ? 'Drop files here or use Upload. You can also create a folder with “New folder”.'
                : 'Create a folder with “New folder”, or move files here from another folder.'}
        </p>
      </EmptyState>
    );
  }
  return children;
}
