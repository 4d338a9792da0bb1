import * as RadixDialog from '@radix-ui/react-dialog';
import type { FileDescriptor } from '../../contract';
import { formatBytes } from '../lib/format';
import { DownloadMenu } from './download-menu';
import { FailedNotice } from './failed-notice';
import { MediaPreview } from './media-preview';
import { useStepKeys, ViewerStep } from './viewer-steps';

/**
 * Focus goes back to the grid's current item: the one stepped to, not the one the viewer was opened from
 * (focusing that would make it current again).
 */
function focusCurrentItem(event: Event) {
  event.preventDefault();
  document.querySelector<HTMLElement>('[role="grid"] [role="gridcell"][tabindex="0"]')?.focus();
}

/**
 * The full-screen viewer: one file of the folder at a time, ← and → (or the buttons) step through the files of
 * the listing in its order, Esc closes. Focus stays inside while it is open and returns where it was.
 */
export function Viewer({
  files,
  fileId,
  onNavigate,
  onClose,
}: {
  files: FileDescriptor[];
  fileId: string;
  onNavigate: (fileId: string) => void;
  onClose: () => void;
}) {
  const index = files.findIndex((f) => f.id === fileId);
  const file = files[index];
  const previous = index > 0 ? files[index - 1] : undefined;
  const next = index >= 0 && index < files.length - 1 ? files[index + 1] : undefined;

  const toPrevious = previous && (() => onNavigate(previous.id));
  const toNext = next && (() => onNavigate(next.id));
  const onKeyDown = useStepKeys(toPrevious, toNext);

  return (
    <RadixDialog.Root open onOpenChange={(open) => !open && onClose()}>
      <RadixDialog.Portal>
        <RadixDialog.Overlay className="viewer-overlay" />
        <RadixDialog.Content className="viewer" onKeyDown={onKeyDown} onCloseAutoFocus={focusCurrentItem}>
          <header className="viewer__header">
            <div className="viewer__title">
              <RadixDialog.Title className="viewer__name">{file?.displayName ?? 'File'}</RadixDialog.Title>
              <RadixDialog.Description className="viewer__meta">
                {file
                  ? `${index + 1} of ${files.length} · ${formatBytes(file.sizeInBytes)}`
                  : 'Not in this listing'}
              </RadixDialog.Description>
            </div>
            {file ? <DownloadMenu file={file} /> : null}
            <RadixDialog.Close className="button button--secondary" aria-label="Close viewer">
              Close
            </RadixDialog.Close>
          </header>
          <div className="viewer__body">
            <ViewerStep direction="previous" label="Previous file" onStep={toPrevious} />
            <div className="viewer__stage">
              {file ? <MediaPreview key={file.id} file={file} mode="viewer" /> : null}
              {file ? <FailedNotice file={file} /> : null}
            </div>
            <ViewerStep direction="next" label="Next file" onStep={toNext} />
          </div>
        </RadixDialog.Content>
      </RadixDialog.Portal>
    </RadixDialog.Root>
  );
}
