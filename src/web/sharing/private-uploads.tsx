import * as DropdownMenu from '@radix-ui/react-dropdown-menu';
import { useSyncExternalStore } from 'react';

// Whether new uploads are private: an option of the uploader, kept for the tab's session (a reload keeps it, a
// new tab starts public, as Wix's uploader does), and applied to every file of a batch queued while it is on.
const KEY = 'smm:private-uploads';
const listeners = new Set<() => void>();

function read(): boolean {
  try {
    return sessionStorage.getItem(KEY) === '1';
  } catch {
    return false;
  }
}
let current = typeof window === 'undefined' ? false : read();

export function setPrivateUploads(value: boolean): void {
  current = value;
  try {
    sessionStorage.setItem(KEY, value ? '1' : '0');
  } catch {
    // No storage: the choice lasts until the page closes.
  }
  listeners.forEach((listener) => listener());
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Whether files uploaded now go up private. */
export function usePrivateUploads(): boolean {
  return useSyncExternalStore(subscribe, () => current);
}

/** The upload options beside Upload: "Upload as private" for the files uploaded from now on. */
export function UploadOptionsMenu({ disabled }: { disabled?: boolean }) {
  const privateUploads = usePrivateUploads();
  return (
    <DropdownMenu.Root>
      <DropdownMenu.Trigger
        className={`button button--secondary upload-options${privateUploads ? ' upload-options--private' : ''}`}
        // No "Upload" in its name: the Upload button beside it keeps the only one (specs and screen-reader users
        // find it by that name).
        aria-label={privateUploads ? 'New files: private' : 'New files: public'}
        title="Privacy of new uploads"
        disabled={disabled}
      >
        {privateUploads ? <span className="upload-options__badge">Private</span> : null}
        <span aria-hidden="true">▾</span>
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content className="menu" align="end" sideOffset={4}>
          <DropdownMenu.CheckboxItem
            className="menu__item"
            checked={privateUploads}
            onCheckedChange={(checked) => setPrivateUploads(checked)}
          >
            <DropdownMenu.ItemIndicator className="menu__check">✓</DropdownMenu.ItemIndicator>
            Upload as private
          </DropdownMenu.CheckboxItem>
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}
