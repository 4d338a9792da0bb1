import { useEffect } from 'react';

const PRODUCT = 'Site Media Manager';

/** Sets the tab title to "<page> · Site Media Manager" while the calling page is shown. */
export function useDocumentTitle(page: string | null): void {
  useEffect(() => {
    document.title = page ? `${page} · ${PRODUCT}` : PRODUCT;
  }, [page]);
}
