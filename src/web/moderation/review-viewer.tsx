import * as RadixDialog from '@radix-ui/react-dialog';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type KeyboardEvent } from 'react';
import type { FileDescriptor } from '../../contract';
import { Button } from '../components/ui/button';
import { Dialog, DialogFooter } from '../components/ui/dialog';
import { fileQueryOptions } from '../files/api/files';
import { itemKeys } from '../files/api/items';
import { FolderTree } from '../folders/folder-tree';
import { AREAS } from '../folders/paths';
import { apiClient, isApiError } from '../lib/api-client';
import { formatBytes } from '../lib/format';
import { FailedNotice } from '../preview/failed-notice';
import { MediaPreview } from '../preview/media-preview';
import { useStepKeys, ViewerStep } from '../preview/viewer-steps';
import { MODERATION_PATH, moderationKeys, moderationQueryOptions, type ModerationState } from './api';

type Target = { id: string; name: string };

function messageOf(error: unknown): string {
  if (isApiError(error)) return error.message;
  return 'The server could not be reached. Try again.';
}

/**
 * Review mode: the queue of new visitor uploads, one file at a time in the full-screen preview. A approves (moves
 * the file into the remembered Site Files folder; the first time, a folder is asked for), R rejects (moves it
 * to the trash); both go on to the next file. ← → step without deciding, Esc leaves. Every key has its button.
 */
export function ReviewViewer({ queue: initial, onClose }: { queue: string[]; onClose: () => void }) {
  const client = useQueryClient();
  const [queue, setQueue] = useState(initial);
  const [index, setIndex] = useState(0);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const [choosing, setChoosing] = useState<'approve' | 'change' | null>(null);
  const remembered = useQuery(moderationQueryOptions(0)).data?.approveFolder ?? null;
  const [folder, setFolder] = useState<Target | null>(null);
  const target = folder ?? (remembered ? { id: remembered.id, name: remembered.displayName } : null);

  const fileId = queue[index];
  const file = useQuery({ ...fileQueryOptions(fileId ?? ''), enabled: fileId !== undefined });
  const current: FileDescriptor | undefined = file.data;
  const name = current?.displayName ?? 'this file';

  /** The file is decided: it leaves the queue, and the next one (or the one before, at the end) shows. */
  const decided = (state: ModerationState, message: string) => {
    const rest = queue.filter((id) => id !== fileId);
    setQueue(rest);
    setIndex((i) => Math.min(i, Math.max(0, rest.length - 1)));
    setAnnouncement(message);
    client.setQueryData(moderationKeys.state(0), (old: ModerationState | undefined) =>
      old ? { ...old, newCount: state.newCount, approveFolder: state.approveFolder } : old,
    );
    void client.invalidateQueries({ queryKey: itemKeys.all });
  };

  const act = async (work: () => Promise<void>) => {
    if (busy || fileId === undefined) return;
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (failure) {
      setError(messageOf(failure));
    } finally {
      setBusy(false);
    }
  };

  const approve = (into: Target | null = target) => {
    if (fileId === undefined || busy) return;
    if (!into) {
      setChoosing('approve');
      return;
    }
    void act(async () => {
      const state = await apiClient.post<ModerationState>(`${MODERATION_PATH}/approve`, {
        fileIds: [fileId],
        folderId: into.id,
      });
      setFolder(into);
      decided(state, `Approved “${name}” into ${into.name}`);
    });
  };

  const reject = () =>
    void act(async () => {
      const state = await apiClient.post<ModerationState>(`${MODERATION_PATH}/reject`, { fileIds: [fileId] });
      decided(state, `Rejected “${name}”: moved to the trash`);
    });

  const previous = index > 0;
  const next = index < queue.length - 1;

  const toPrevious = previous ? () => setIndex(index - 1) : undefined;
  const toNext = next ? () => setIndex(index + 1) : undefined;
  const stepKeys = useStepKeys(toPrevious, toNext);
  const onKeyDown = (event: KeyboardEvent) => {
    // The folder dialog's keys are its own (React hands them up through the portal).
    if (choosing || event.altKey || event.ctrlKey || event.metaKey) return;
    const key = event.key.toLowerCase();
    if (key === 'a') approve();
    else if (key === 'r') reject();
    else return stepKeys(event);
    event.preventDefault();
  };

  return (
    <RadixDialog.Root open onOpenChange={(open) => !open && onClose()}>
      <RadixDialog.Portal>
        <RadixDialog.Overlay className="viewer-overlay" />
        <RadixDialog.Content className="viewer review" onKeyDown={onKeyDown} aria-busy={busy}>
          <header className="viewer__header">
            <div className="viewer__title">
              <RadixDialog.Title className="viewer__name">
                {fileId === undefined ? 'Review done' : `Review: ${current?.displayName ?? 'loading…'}`}
              </RadixDialog.Title>
              <RadixDialog.Description className="viewer__meta">
                {fileId === undefined
                  ? 'No new uploads left in this review'
                  : `${index + 1} of ${queue.length} new${current ? ` · ${formatBytes(current.sizeInBytes)}` : ''} · A approves, R rejects`}
              </RadixDialog.Description>
            </div>
            <RadixDialog.Close className="button button--secondary" aria-label="Leave review">
              Close
            </RadixDialog.Close>
          </header>
          <div className="viewer__body">
            <ViewerStep direction="previous" label="Previous new file" onStep={toPrevious} />
            <div className="viewer__stage">
              {current ? <MediaPreview key={current.id} file={current} mode="viewer" /> : null}
              {current ? <FailedNotice file={current} /> : null}
              {fileId === undefined ? (
                <p className="review__done">All caught up: nothing new to review.</p>
              ) : null}
              {file.isError ? (
                <p role="alert">This file could not be loaded: {messageOf(file.error)}</p>
              ) : null}
            </div>
            <ViewerStep direction="next" label="Next new file" onStep={toNext} />
          </div>
          <footer className="review__actions">
            <Button variant="danger" disabled={busy || fileId === undefined} onClick={reject}>
              Reject <kbd aria-hidden="true">R</kbd>
            </Button>
            <Button variant="primary" disabled={busy || fileId === undefined} onClick={() => approve()}>
              {target ? `Approve to ${target.name}` : 'Approve…'} <kbd aria-hidden="true">A</kbd>
            </Button>
            <button
              type="button"
              className="link-button review__change"
              onClick={() => setChoosing('change')}
            >
              {target ? 'Change folder' : 'Choose folder'}
            </button>
            <p className="review__status" role="status">
              {announcement}
            </p>
            {error ? (
              <p className="review__error" role="alert">
                {error}
              </p>
            ) : null}
          </footer>
          <FolderChooser
            open={choosing !== null}
            initial={target}
            onCancel={() => setChoosing(null)}
            onChoose={(chosen) => {
              const then = choosing;
              setChoosing(null);
              setFolder(chosen);
              if (then === 'approve') approve(chosen);
            }}
          />
        </RadixDialog.Content>
      </RadixDialog.Portal>
    </RadixDialog.Root>
  );
}

/** Where approved files go: a folder of Site Files (remembered by the server for the next approval). */
function FolderChooser({
  open,
  initial,
  onCancel,
  onChoose,
}: {
  open: boolean;
  initial: Target | null;
  onCancel: () => void;
  onChoose: (target: Target) => void;
}) {
  const [picked, setPicked] = useState<Target | null>(initial);
  const root = AREAS.files;
  return (
    <Dialog
      open={open}
      onOpenChange={(next) => !next && onCancel()}
      title="Approve into which folder?"
      description="Approved uploads move into this Site Files folder. It is remembered for the next ones."
      size="wide"
    >
      <div className="move-tree">
        <FolderTree
          rootId={root.root}
          rootName={root.name}
          selectedId={picked?.id ?? null}
          onSelect={setPicked}
          label="Folder for approved uploads"
        />
      </div>
      <DialogFooter>
        <Button onClick={onCancel}>Cancel</Button>
        <Button variant="primary" disabled={!picked} onClick={() => picked && onChoose(picked)}>
          {picked ? `Use ${picked.name}` : 'Use folder'}
        </Button>
      </DialogFooter>
    </Dialog>
  );
}
