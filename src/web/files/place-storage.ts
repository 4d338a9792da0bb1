// Where the owner was in a listing, saved per browser-history entry in sessionStorage, so Back and Forward (and a
// reload, which keeps the entry) bring the same place back. The URL keeps the view (folder, sort, open item); the
// scroll position and a multi-selection are too big or too fleeting for it, so they live here, keyed by the
// entry's react-router key (kept in history.state, so it survives a reload) and path.

/** The place: the first item in view and how far its row is scrolled past. */
export interface SavedPlace {
  /** The listing it belongs to (a history entry's listing can change: a sort pushes a new one). */
  listing: string;
  anchor: string | null;
  offset: number;
}

export interface SavedSelection {
  listing: string;
  keys: string[];
}

/** More would make every selection change write a big entry; a bigger selection comes back as its first keys. */
export const MAX_SAVED_SELECTION = 500;
const PREFIX = 'smm.place.';
/** Old entries are dropped beyond this many, so a long session does not fill sessionStorage. */
const MAX_ENTRIES = 200;

function read<T>(key: string): T | null {
  try {
    const raw = sessionStorage.getItem(PREFIX + key);
    return raw ? (JSON.parse(raw) as T) : null;
  } catch {
    return null;
  }
}

function write(key: string, value: unknown): void {
  try {
    sessionStorage.setItem(PREFIX + key, JSON.stringify(value));
    if (sessionStorage.length > MAX_ENTRIES * 2) prune();
  } catch {
    // Storage full or disabled: Back then starts at the top, as before.
  }
}

function prune(): void {
  const keys: string[] = [];
  for (let i = 0; i < sessionStorage.length; i++) {
    const key = sessionStorage.key(i);
    if (key?.startsWith(PREFIX)) keys.push(key);
  }
  // sessionStorage keeps no dates: drop an arbitrary half, the place is a convenience, not data.
  for (const key of keys.slice(0, Math.floor(keys.length / 2))) sessionStorage.removeItem(key);
}

export const readPlace = (entry: string) => read<SavedPlace>(`${entry}#scroll`);
export const writePlace = (entry: string, place: SavedPlace) => write(`${entry}#scroll`, place);
export const readSelection = (entry: string) => read<SavedSelection>(`${entry}#selection`);
export const writeSelection = (entry: string, selection: SavedSelection) =>
  write(`${entry}#selection`, { ...selection, keys: selection.keys.slice(0, MAX_SAVED_SELECTION) });
