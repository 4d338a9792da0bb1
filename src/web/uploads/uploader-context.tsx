import { useQueryClient } from '@tanstack/react-query';
import {
  createContext,
  lazy,
  Suspense,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from 'react';
import type { AppUppy, IncomingFile, UploadTarget } from './uploader';

interface UploaderApi {
  uppy: AppUppy;
  /** Queues files for upload into a folder; returns how many were queued. */
  upload: (files: readonly IncomingFile[], target: UploadTarget) => number;
}

/** Queues files for upload; the uploader (Uppy) is loaded on the first use. Answers how many files were given. */
type Upload = (files: readonly IncomingFile[], target: UploadTarget) => number;

const UploaderContext = createContext<UploaderApi | null>(null);
const UploadContext = createContext<Upload | null>(null);

// Uppy (with tus and its IndexedDB store) is most of the app's weight, and most visits upload nothing: it is
// loaded when the first file is queued, or at once when Golden Retriever holds unfinished uploads to restore.
const loadUploader = () => import('./uploader');
const UploadTray = lazy(() => import('./upload-tray').then((m) => ({ default: m.UploadTray })));
const DuplicateDialogHost = lazy(() =>
  import('./duplicate-dialog').then((m) => ({ default: m.DuplicateDialogHost })),
);

/**
 * Whether Golden Retriever may hold uploads to restore: its snapshot is in localStorage (`uppyState:*`) in older
 * versions and in its IndexedDB database (`uppy-blobs`) in newer ones. Unsure means yes: a restore must not be lost.
 */
async function hasUploadsToRestore(): Promise<boolean> {
  try {
    for (let i = 0; i < localStorage.length; i++)
      if (localStorage.key(i)?.startsWith('uppyState:')) return true;
  } catch {
    // No storage: nothing was kept there.
  }
  if (typeof indexedDB === 'undefined') return false;
  if (typeof indexedDB.databases !== 'function') return true;
  try {
    return (await indexedDB.databases()).some((db) => db.name === 'uppy-blobs');
  } catch {
    return true;
  }
}

/**
 * Holds the app's one Uppy instance for as long as the user is signed in (uploads go on while navigating), and
 * shows the upload tray once there is one.
 */
export function UploaderProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [uppy, setUppy] = useState<AppUppy | null>(null);
  const loading = useRef<Promise<AppUppy> | null>(null);
  const ensure = useCallback(() => {
    loading.current ??= loadUploader().then((module) => {
      const created = module.createUploader(queryClient);
      setUppy(created);
      return created;
    });
    return loading.current;
  }, [queryClient]);
  useEffect(() => {
    void hasUploadsToRestore().then((restore) => {
      if (restore) void ensure();
    });
  }, [ensure]);
  useEffect(() => () => uppy?.destroy(), [uppy]);

  const upload = useCallback<Upload>(
    (files, target) => {
      if (files.length === 0) return 0;
      void ensure().then(async (instance) => (await loadUploader()).addFiles(instance, files, target));
      return files.length;
    },
    [ensure],
  );
  const api = useMemo<UploaderApi | null>(() => (uppy ? { uppy, upload } : null), [uppy, upload]);
  return (
    <UploadContext.Provider value={upload}>
      <UploaderContext.Provider value={api}>
        {children}
        {api ? (
          <Suspense fallback={null}>
            <UploadTray />
            <DuplicateDialogHost />
          </Suspense>
        ) : null}
      </UploaderContext.Provider>
    </UploadContext.Provider>
  );
}

/** The loaded uploader (for the upload tray, which is only shown once there is one). */
export function useUploader(): UploaderApi {
  const api = useContext(UploaderContext);
  if (!api) throw new Error('useUploader needs a loaded uploader inside an UploaderProvider');
  return api;
}

/** Queues files for upload (loading the uploader first when needed). */
export function useUpload(): Upload {
  const upload = useContext(UploadContext);
  if (!upload) throw new Error('useUpload needs an UploaderProvider');
  return upload;
}
