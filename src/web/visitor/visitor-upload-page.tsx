import { useQuery } from '@tanstack/react-query';
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { useDropzone } from 'react-dropzone';
import { Button } from '../components/ui/button';
import { LoadingState } from '../components/ui/status';
import { formatBytes } from '../lib/format';
import { useDocumentTitle } from '../lib/use-document-title';
import { describeTypes, getVisitorConfig, uploadVisitorFile, VisitorUploadError } from './api';

/** Where the public page lives (outside the signed-in part of the app). */
export const VISITOR_UPLOAD_PATH = '/upload';

type Status = 'waiting' | 'uploading' | 'done' | 'failed';

interface Item {
  id: number;
  file: File;
  status: Status;
  /** 0..100 */
  percent: number;
  /** Counts retries, so a retried file starts again. */
  attempt: number;
  error?: string;
  /** A failure that trying again may fix (lost connection, rate limit), not a refusal of the file. */
  retryable?: boolean;
}

/** Uploads at the same time; the rest wait their turn. */
const CONCURRENCY = 3;

let nextId = 1;

function detailOf(item: Item): string {
  switch (item.status) {
    case 'waiting':
      return 'Waiting…';
    case 'uploading':
      return `Uploading · ${item.percent}%`;
    case 'done':
      return `Uploaded · ${formatBytes(item.file.size)}`;
    case 'failed':
      return item.error ?? 'Upload failed';
  }
}

/**
 * /upload — the public page through which site visitors send files into Visitor Uploads. No session: it only
 * uses `/visitor/v1` (config, then one upload URL per file and a plain PUT of the bytes).
 */
export function VisitorUploadPage() {
  useDocumentTitle('Upload files');
  const config = useQuery({
    queryKey: ['visitor', 'config'],
    queryFn: ({ signal }) => getVisitorConfig(signal),
    retry: 1,
  });
  const [items, setItems] = useState<Item[]>([]);
  const [key, setKey] = useState('');
  const keyId = useId();
  const limitsId = useId();
  const running = useRef(new Map<number, AbortController>());
  // Uploads already started (StrictMode runs effects twice in development: start each attempt once).
  const started = useRef(new Set<string>());

  const update = useCallback((id: number, patch: Partial<Item>) => {
    setItems((current) => current.map((item) => (item.id === id ? { ...item, ...patch } : item)));
  }, []);

  // Start waiting uploads while fewer than CONCURRENCY run.
  useEffect(() => {
    const active = items.filter((item) => item.status === 'uploading').length;
    const ready = items
      .filter((item) => item.status === 'waiting' && !started.current.has(`${item.id}:${item.attempt}`))
      .slice(0, CONCURRENCY - active);
    for (const item of ready) {
      started.current.add(`${item.id}:${item.attempt}`);
      const controller = new AbortController();
      running.current.set(item.id, controller);
      update(item.id, { status: 'uploading', percent: 0, error: undefined });
      uploadVisitorFile(item.file, {
        key: key.trim() || undefined,
        signal: controller.signal,
        onProgress: (fraction) => update(item.id, { percent: Math.floor(fraction * 100) }),
      })
        .then(() => update(item.id, { status: 'done', percent: 100 }))
        .catch((error: unknown) => {
          if (controller.signal.aborted) return;
          update(item.id, {
            status: 'failed',
            error: error instanceof Error ? error.message : 'Upload failed',
            retryable: !(error instanceof VisitorUploadError) || error.retryable,
          });
        })
        .finally(() => running.current.delete(item.id));
    }
  }, [items, key, update]);

  const addFiles = useCallback((files: readonly File[]) => {
    if (files.length === 0) return;
    setItems((current) => [
      ...current.filter((item) => item.status !== 'done'),
      ...files.map((file) => ({ id: nextId++, file, status: 'waiting' as const, percent: 0, attempt: 0 })),
    ]);
  }, []);

  const enabled = config.data?.enabled === true;
  const needsKey = config.data?.requiresKey === true;
  const dropzone = useDropzone({
    onDrop: (accepted) => addFiles(accepted),
    noClick: true,
    noKeyboard: true,
    disabled: !enabled || (needsKey && key.trim() === ''),
  });

  const cancel = (id: number) => {
    running.current.get(id)?.abort();
    setItems((current) => current.filter((item) => item.id !== id));
  };
  const retry = (id: number) =>
    setItems((current) =>
      current.map((item) =>
        item.id === id
          ? { ...item, status: 'waiting', percent: 0, error: undefined, attempt: item.attempt + 1 }
          : item,
      ),
    );

  const done = items.filter((item) => item.status === 'done').length;
  const failed = items.filter((item) => item.status === 'failed').length;
  const active = items.length - done - failed;
  const finished = items.length > 0 && active === 0 && failed === 0;

  let body;
  if (config.isPending) {
    body = <LoadingState />;
  } else if (config.isError) {
    body = (
      <p className="form__error" role="alert">
        The upload page could not load: {config.error.message}
      </p>
    );
  } else if (!config.data.enabled) {
    body = <p role="status">Uploads are turned off on this site.</p>;
  } else if (finished) {
    body = (
      <div className="visitor-upload__thanks" role="status">
        <h2 className="visitor-upload__thanks-title">Thank you!</h2>
        <p>
          {done === 1 ? 'Your file was uploaded.' : `Your ${done} files were uploaded.`} The site owner will
          find {done === 1 ? 'it' : 'them'} in Visitor Uploads.
        </p>
        <Button variant="primary" onClick={() => setItems([])}>
          Upload more files
        </Button>
      </div>
    );
  } else {
    const { maxFileSizeBytes, allowedMimeTypes } = config.data;
    const disabled = needsKey && key.trim() === '';
    body = (
      <>
        <p className="visitor-upload__limits" id={limitsId}>
          Up to {formatBytes(maxFileSizeBytes)} per file
          {allowedMimeTypes.length > 0 ? `; ${describeTypes(allowedMimeTypes)}` : ''}.
        </p>
        {needsKey ? (
          <div className="field">
            <label htmlFor={keyId}>Upload key</label>
            <input
              id={keyId}
              type="password"
              autoComplete="off"
              value={key}
              onChange={(event) => setKey(event.target.value)}
            />
          </div>
        ) : null}
        <div
          {...dropzone.getRootProps({
            className: `visitor-upload__drop${dropzone.isDragActive ? ' visitor-upload__drop--active' : ''}`,
            'aria-disabled': undefined,
          })}
        >
          <input
            {...dropzone.getInputProps({ accept: allowedMimeTypes.join(',') || undefined })}
            aria-label="Files to upload"
            aria-describedby={limitsId}
          />
          <p className="visitor-upload__drop-text">
            {dropzone.isDragActive ? 'Drop the files to upload them' : 'Drag files here, or'}
          </p>
          <Button variant="primary" onClick={dropzone.open} disabled={disabled}>
            Choose files
          </Button>
        </div>
        {items.length > 0 ? (
          <section aria-label="Uploads" className="visitor-upload__files">
            <h2 className="visitor-upload__summary" aria-live="polite">
              {active > 0
                ? `Uploading ${active} file${active > 1 ? 's' : ''}…`
                : `${done} uploaded, ${failed} failed`}
            </h2>
            <ul className="upload-tray__list">
              {items.map((item) => (
                <li
                  key={item.id}
                  className={`upload-row upload-row--${item.status}`}
                  aria-label={`${item.file.name}: ${detailOf(item)}`}
                >
                  <div className="upload-row__text">
                    <span className="upload-row__name" title={item.file.name}>
                      {item.file.name}
                    </span>
                    <span
                      className={`upload-row__detail${item.status === 'failed' ? ' upload-row__detail--error' : ''}`}
                    >
                      {detailOf(item)}
                    </span>
                    {item.status === 'uploading' ? (
                      <div
                        className="progress progress--small"
                        role="progressbar"
                        aria-label={`Uploading ${item.file.name}`}
                        aria-valuenow={item.percent}
                        aria-valuemin={0}
                        aria-valuemax={100}
                      >
                        <div className="progress__bar" style={{ width: `${item.percent}%` }} />
                      </div>
                    ) : null}
                  </div>
                  <div className="upload-row__actions">
                    {item.status === 'failed' && item.retryable ? (
                      <button type="button" className="link-button" onClick={() => retry(item.id)}>
                        Retry
                      </button>
                    ) : null}
                    {item.status !== 'done' ? (
                      <button
                        type="button"
                        className="link-button"
                        aria-label={`${item.status === 'failed' ? 'Remove' : 'Cancel'} ${item.file.name}`}
                        onClick={() => cancel(item.id)}
                      >
                        {item.status === 'failed' ? 'Remove' : 'Cancel'}
                      </button>
                    ) : null}
                  </div>
                </li>
              ))}
            </ul>
          </section>
        ) : null}
      </>
    );
  }

  return (
    <main className="sign-in visitor-upload" id="main">
      <div className="sign-in__card visitor-upload__card">
        <p className="sign-in__product">Site Media Manager</p>
        <h1 className="sign-in__title">Upload files</h1>
        {body}
      </div>
    </main>
  );
}
