import { useUppyState } from '@uppy/react';
import { useEffect, useState } from 'react';
import { Button } from '../components/ui/button';
import { formatBytes } from '../lib/format';
import { PLAIN_UPLOAD_MAX_BYTES, type AppUppyFile } from './uploader';
import { useUploader } from './uploader-context';
import { useReservedSpace } from './use-reserved-space';

function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '';
  if (seconds < 60) return `${Math.ceil(seconds)} s left`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min left`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min left`;
}

type Status = 'waiting' | 'uploading' | 'paused' | 'interrupted' | 'done' | 'failed';

/** `recovered`: uploads restored after a reload that wait for "Resume uploads" (nothing is running yet). */
function statusOf(file: AppUppyFile, recovered: boolean): Status {
  if (file.error) return 'failed';
  if (file.progress.uploadComplete && (file.size ?? 0) <= PLAIN_UPLOAD_MAX_BYTES) return 'done';
  if (file.response?.body?.file) return 'done';
  if (recovered) return 'interrupted';
  if (file.isPaused) return 'paused';
  if (file.progress.uploadStarted) return 'uploading';
  return 'waiting';
}

/** Speed from when the upload started; good enough for "time left" and steady for a long upload. */
function speedOf(file: AppUppyFile): number {
  const started = file.progress.uploadStarted;
  const uploaded = file.progress.bytesUploaded || 0;
  if (!started || !uploaded) return 0;
  const seconds = (Date.now() - started) / 1000;
  return seconds > 0 ? uploaded / seconds : 0;
}

/**
 * The upload tray: stays while the user navigates; per-file progress, speed and time left, pause/resume (tus),
 * cancel, retry, overall progress, and clear when done. Completions and failures are announced.
 */
export function UploadTray() {
  const { uppy } = useUploader();
  const files = useUppyState(uppy, (state) => state.files);
  const totalProgress = useUppyState(uppy, (state) => state.totalProgress);
  const recovered = useUppyState(uppy, (state) => state.recoveredState);
  const [collapsed, setCollapsed] = useState(false);
  const reserveSpace = useReservedSpace<HTMLElement>();
  const list = Object.values(files);
  const statuses = list.map((file) => statusOf(file, !!recovered));
  // Once every upload is done (none failed), the tray folds to its summary line: the list of finished files
  // would only take room from the page. A new batch unfolds it again.
  const allDone = list.length > 0 && statuses.every((s) => s === 'done');
  useEffect(() => setCollapsed(allDone), [allDone]);
  if (list.length === 0 && !recovered) return null;

  const done = statuses.filter((s) => s === 'done').length;
  const failed = statuses.filter((s) => s === 'failed').length;
  const interrupted = statuses.filter((s) => s === 'interrupted').length;
  const active = list.length - done - failed - interrupted;
  const summary =
    interrupted > 0
      ? `${interrupted} upload${interrupted > 1 ? 's' : ''} interrupted`
      : active > 0
        ? `Uploading ${active} file${active > 1 ? 's' : ''} · ${totalProgress}%`
        : `${done} uploaded${failed ? `, ${failed} failed` : ''}`;

  return (
    <section ref={reserveSpace} className="upload-tray" aria-label="Uploads">
      <header className="upload-tray__header">
        <h2 className="upload-tray__title" aria-live="polite">
          {summary}
        </h2>
        <button
          type="button"
          className="icon-button"
          aria-expanded={!collapsed}
          aria-label={collapsed ? 'Show uploads' : 'Hide uploads'}
          onClick={() => setCollapsed((c) => !c)}
        >
          {collapsed ? '▴' : '▾'}
        </button>
      </header>
      {active > 0 ? (
        <div
          className="progress"
          role="progressbar"
          aria-label="All uploads"
          aria-valuenow={totalProgress}
          aria-valuemin={0}
          aria-valuemax={100}
        >
          <div className="progress__bar" style={{ width: `${totalProgress}%` }} />
        </div>
      ) : null}
      {recovered ? (
        <div className="upload-tray__recovered" role="alert">
          <p>Uploads were interrupted when the page closed.</p>
          <div className="upload-tray__actions">
            {/* Golden Retriever restarts the restored uploads; tus continues each from the server's offset. */}
            <Button variant="primary" onClick={() => uppy.emit('restore-confirmed')}>
              Resume uploads
            </Button>
            <Button
              onClick={() => {
                uppy.cancelAll();
                uppy.setState({ recoveredState: null });
              }}
            >
              Discard
            </Button>
          </div>
        </div>
      ) : null}
      {collapsed ? null : (
        <ul className="upload-tray__list">
          {list.map((file, index) => (
            <UploadRow key={file.id} file={file} status={statuses[index] ?? 'waiting'} />
          ))}
        </ul>
      )}
      {active === 0 && list.length > 0 ? (
        <div className="upload-tray__actions">
          {failed > 0 ? <Button onClick={() => void uppy.retryAll()}>Retry failed</Button> : null}
          <Button onClick={() => uppy.cancelAll()}>Clear</Button>
        </div>
      ) : null}
    </section>
  );
}

function UploadRow({ file, status }: { file: AppUppyFile; status: Status }) {
  const { uppy } = useUploader();
  const percent = file.progress.percentage ?? 0;
  const speed = speedOf(file);
  const left = speed > 0 ? ((file.size ?? 0) - (file.progress.bytesUploaded || 0)) / speed : NaN;
  const resumable = (file.size ?? 0) > PLAIN_UPLOAD_MAX_BYTES;
  const name = file.name ?? 'file';
  let detail: string;
  switch (status) {
    case 'done':
      detail = `Uploaded · ${formatBytes(file.size ?? 0)}${file.meta.private ? ' · private' : ''}`;
      break;
    case 'failed':
      detail = typeof file.error === 'string' ? file.error : 'Upload failed';
      break;
    case 'waiting':
      detail = file.isGhost ? 'Choose this file again to resume it' : 'Waiting…';
      break;
    case 'paused':
      detail = `Paused at ${percent}%`;
      break;
    case 'interrupted':
      detail = `Interrupted at ${percent}% · resume to go on from there`;
      break;
    case 'uploading':
      detail = `${percent}% · ${formatBytes(speed)}/s · ${formatDuration(left)}`;
      break;
  }
  return (
    <li className={`upload-row upload-row--${status}`} aria-label={`${name}: ${detail}`}>
      <div className="upload-row__text">
        <span className="upload-row__name" title={name}>
          {name}
        </span>
        <span className={`upload-row__detail${status === 'failed' ? ' upload-row__detail--error' : ''}`}>
          {detail}
        </span>
        {status === 'uploading' || status === 'paused' ? (
          <div className="progress progress--small" aria-hidden="true">
            <div className="progress__bar" style={{ width: `${percent}%` }} />
          </div>
        ) : null}
      </div>
      <div className="upload-row__actions">
        {resumable && (status === 'uploading' || status === 'paused') ? (
          <button type="button" className="link-button" onClick={() => uppy.pauseResume(file.id)}>
            {status === 'paused' ? 'Resume' : 'Pause'}
          </button>
        ) : null}
        {status === 'failed' ? (
          <button type="button" className="link-button" onClick={() => void uppy.retryUpload(file.id)}>
            Retry
          </button>
        ) : null}
        {status !== 'done' ? (
          <button
            type="button"
            className="link-button"
            aria-label={`Cancel ${name}`}
            onClick={() => uppy.removeFile(file.id)}
          >
            Cancel
          </button>
        ) : null}
      </div>
    </li>
  );
}
