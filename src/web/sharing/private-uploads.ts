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

/** Whether files uploaded now go up private, outside React (a stand-in's first look). */
export function privateUploadsNow(): boolean {
  return current;
}

/** Whether files uploaded now go up private. */
export function usePrivateUploads(): boolean {
  return useSyncExternalStore(subscribe, () => current);
}
