export const SEARCH_HINT_ID = 'search-upload-hint';
export const SEARCH_HINT = 'Clear the search to upload into a folder';

/**
 * Why Upload, Import and New folder are off during a search: results come from many folders, so there is no
 * one folder to put things into. The buttons point at this text (`aria-describedby`); it also shows as a title.
 */
export function SearchHint({ active }: { active: boolean }) {
  if (!active) return null;
  return (
    <span id={SEARCH_HINT_ID} className="toolbar__hint muted">
      {SEARCH_HINT}
    </span>
  );
}
