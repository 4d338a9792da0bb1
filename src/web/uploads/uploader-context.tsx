import { useQueryClient } from '@tanstack/react-query';
import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { addFiles, createUploader, type AppUppy, type IncomingFile, type UploadTarget } from './uploader';

interface UploaderApi {
  uppy: AppUppy;
  /** Queues files for upload into a folder; returns how many were queued. */
  upload: (files: readonly IncomingFile[], target: UploadTarget) => number;
}

const UploaderContext = createContext<UploaderApi | null>(null);

/** Holds the app's one Uppy instance for as long as the user is signed in (uploads go on while navigating). */
export function UploaderProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [uppy] = useState(() => createUploader(queryClient));
  useEffect(() => () => uppy.destroy(), [uppy]);
  const api = useMemo<UploaderApi>(
    () => ({ uppy, upload: (files, target) => addFiles(uppy, files, target) }),
    [uppy],
  );
  return <UploaderContext.Provider value={api}>{children}</UploaderContext.Provider>;
}

export function useUploader(): UploaderApi {
  const api = useContext(UploaderContext);
  if (!api) throw new Error('useUploader needs an UploaderProvider');
  return api;
}
