import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent, type ReactNode } from 'react';
import { LABEL_MAX, FILE_LABELS_MAX, hasForbiddenCharacter, type FileDescriptor } from '../../contract';
import { Button } from '../components/ui/button';
import { useToast } from '../components/ui/toast';
import { formatBytes, formatDate } from '../lib/format';
import { FocalPointPicker } from '../images/focal-point-picker';
import { ImageUrlBuilder } from '../images/image-url-builder';
import { isTransformable } from '../images/transform-url';
import { DownloadMenu } from '../preview/download-menu';
import { FailedNotice } from '../preview/failed-notice';
import { MediaPreview } from '../preview/media-preview';
import { fileQueryOptions } from './api/files';
import { useItemActions } from './api/mutations';
import type { Item } from './api/items';
import { Thumbnail } from './thumbnail';
import { MEDIA_TYPE_LABELS } from './media-labels';
import { OriginalLocation } from './trash-navigation';
import { AltTextField } from './alt-text-field';
import { PurgeFact } from './trash-retention';
import { UsedOnSite } from './used-on-site';
import { usePicker } from '../picker/picker-context';
import { SharingSection } from '../sharing/sharing-section';
import { ReplaceButton } from './replace-file';

export interface PanelActions {
  open: (item: Item) => void;
  rename: (item: Item) => void;
  move: (items: Item[]) => void;
  trash: (items: Item[]) => void;
  restore: (items: Item[]) => void;
  deleteForever: (items: Item[]) => void;
  download: (items: Item[]) => void;
}

/** Details of the focused item beside the grid (not a modal), with its actions. */
export function InfoPanel({
  item,
  inTrash,
  actions,
  onClose,
}: {
  item: Item;
  inTrash: boolean;
  actions: PanelActions;
  onClose: () => void;
}) {
  const name = item.kind === 'folder' ? item.folder.displayName : item.file.displayName;
  // The media picker keeps the panel for details and preview, without the admin actions.
  const picker = usePicker();
  return (
    <aside className="info-panel" aria-label={`Details of ${name}`}>
      <div className="info-panel__header">
        <h2 className="info-panel__title">Details</h2>
        <button type="button" className="icon-button" aria-label="Close details" onClick={onClose}>
          ×
        </button>
      </div>
      {item.kind === 'file' ? (
        <FileDetails
          key={item.file.id}
          fileId={item.file.id}
          initial={item.file}
          inTrash={inTrash}
          name={name}
          sharing={!inTrash && !picker}
        />
      ) : (
        <>
          <Thumbnail item={item} size="panel" />
          <p className="info-panel__name">{name}</p>
        </>
      )}
      {item.kind === 'folder' ? (
        <dl className="facts">
          <Fact label="Type" value="Folder" />
          <Fact label="Created" value={formatDate(item.folder.createdDate)} />
          <WhenAndWhere
            inTrash={inTrash}
            updatedDate={item.folder.updatedDate}
            parentFolderId={item.folder.parentFolderId}
          />
        </dl>
      ) : null}
      <div className="info-panel__actions">
        {inTrash ? (
          <>
            <Button variant="primary" onClick={() => actions.restore([item])}>
              Restore
            </Button>
            <Button variant="danger" onClick={() => actions.deleteForever([item])}>
              Delete forever
            </Button>
          </>
        ) : (
          <>
            {item.kind === 'folder' ? (
              <>
                <Button onClick={() => actions.open(item)}>Open</Button>
                <Button onClick={() => actions.download([item])}>Download zip</Button>
              </>
            ) : (
              <>
                <Button variant="primary" onClick={() => actions.open(item)}>
                  View
                </Button>
                <DownloadMenu file={item.file} />
              </>
            )}
            {picker ? null : (
              <>
                <Button onClick={() => actions.rename(item)}>Rename</Button>
                <Button onClick={() => actions.move([item])}>Move to…</Button>
                <Button variant="danger" onClick={() => actions.trash([item])}>
                  Move to Trash
                </Button>
              </>
            )}
          </>
        )}
      </div>
    </aside>
  );
}

function Fact({ label, value }: { label: string; value: ReactNode }) {
  return (
    <div className="facts__row">
      <dt>{label}</dt>
      <dd>{value || '—'}</dd>
    </div>
  );
}

/**
 * Live items: when they last changed. Trashed ones: when they were deleted (moving to the trash is the last
 * change, so `updatedDate` is that moment) and the folder they came from, where Restore puts them back.
 */
function WhenAndWhere(props: { inTrash: boolean; updatedDate: string; parentFolderId: string }) {
  if (!props.inTrash) return <Fact label="Updated" value={formatDate(props.updatedDate)} />;
  return (
    <>
      <Fact label="Deleted" value={formatDate(props.updatedDate)} />
      <Fact label="From" value={<OriginalLocation parentFolderId={props.parentFolderId} />} />
      <PurgeFact trashedAt={props.updatedDate} />
    </>
  );
}

function dimensionsOf(file: FileDescriptor): string {
  const image = file.media.image?.image ?? file.media.vector?.image;
  if (image && image.width > 0) return `${image.width} × ${image.height}`;
  const video = file.media.video;
  if (video?.width) return `${video.width} × ${video.height ?? 0}`;
  return '';
}

/** Video and audio length as m:ss (h:mm:ss past an hour). */
function duration(file: FileDescriptor): string {
  const seconds = file.media.video?.durationInSeconds ?? file.media.audio?.duration;
  if (!seconds) return '';
  const total = Math.round(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

function FileDetails({
  fileId,
  initial,
  inTrash,
  name,
  sharing,
}: {
  fileId: string;
  initial: FileDescriptor;
  inTrash: boolean;
  name: string;
  /** Privacy and "Share link" (not in the trash, nor in the media picker). */
  sharing: boolean;
}) {
  const query = useQuery({
    ...fileQueryOptions(fileId),
    initialData: initial,
    staleTime: 5_000,
    // A file being processed turns READY (or FAILED) by itself: its preview appears without a reload.
    refetchInterval: (q) => (q.state.data?.operationStatus === 'PENDING' ? 2_000 : false),
  });
  const file = query.data;
  const toast = useToast();
  const [copied, setCopied] = useState(false);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(file.url);
      setCopied(true);
      setTimeout(() => setCopied(false), 2000);
    } catch {
      toast({ title: 'Could not copy the URL', variant: 'error' });
    }
  };

  return (
    <>
      {isTransformable(file) ? <FocalPointPicker file={file} /> : <MediaPreview file={file} mode="panel" />}
      <p className="info-panel__name">{name}</p>
      <div className="badges">
        {file.private ? <span className="badge">Private</span> : null}
        {file.operationStatus !== 'READY' ? (
          <span className={`badge badge--${file.operationStatus === 'FAILED' ? 'failed' : 'pending'}`}>
            {file.operationStatus === 'FAILED' ? 'Processing failed' : 'Processing'}
          </span>
        ) : null}
      </div>
      {file ? <FailedNotice file={file} /> : null}
      <dl className="facts">
        <Fact label="Type" value={`${MEDIA_TYPE_LABELS[file.mediaType]} (${file.mimeType})`} />
        <Fact label="Size" value={formatBytes(file.sizeInBytes)} />
        <Fact label="Dimensions" value={dimensionsOf(file)} />
        {duration(file) ? <Fact label="Duration" value={duration(file)} /> : null}
        <Fact label="Created" value={formatDate(file.createdDate)} />
        <WhenAndWhere inTrash={inTrash} updatedDate={file.updatedDate} parentFolderId={file.parentFolderId} />
      </dl>
      <div className="field">
        <span className="field__label" id="file-url-label">
          URL
        </span>
        <div className="url-row">
          <input
            aria-labelledby="file-url-label"
            readOnly
            value={file.url}
            onFocus={(e) => e.target.select()}
          />
          <Button onClick={() => void copy()} aria-label="Copy URL">
            {copied ? 'Copied' : 'Copy'}
          </Button>
        </div>
        {file.private ? <p className="muted small">Private: this URL answers 403; use Download.</p> : null}
      </div>
      {file.mediaType === 'IMAGE' ? <AltTextField file={file} readOnly={inTrash} /> : null}
      {sharing ? <SharingSection file={file} /> : null}
      {sharing ? <ReplaceButton file={file} /> : null}
      {isTransformable(file) ? <ImageUrlBuilder file={file} /> : null}
      <Labels file={file} readOnly={inTrash} />
      <UsedOnSite fileId={file.id} />
    </>
  );
}

function Labels({ file, readOnly }: { file: FileDescriptor; readOnly: boolean }) {
  const actions = useItemActions();
  const toast = useToast();
  const [draft, setDraft] = useState('');
  const [error, setError] = useState<string | null>(null);

  const save = (labels: string[]) =>
    actions.setLabels(file, labels).catch((failure: unknown) => {
      toast({
        title: 'Could not save the labels',
        description: failure instanceof Error ? failure.message : undefined,
        variant: 'error',
      });
    });

  const add = (event: FormEvent) => {
    event.preventDefault();
    const label = draft.trim();
    if (!label) return;
    if (label.length > LABEL_MAX) return setError(`A label has at most ${LABEL_MAX} characters.`);
    if (hasForbiddenCharacter(label)) return setError('Remove the control characters.');
    if (file.labels.length >= FILE_LABELS_MAX)
      return setError(`A file has at most ${FILE_LABELS_MAX} labels.`);
    setError(null);
    setDraft('');
    if (!file.labels.includes(label)) void save([...file.labels, label]);
  };

  return (
    <div className="labels">
      <span className="field__label">Labels</span>
      <ul className="chips" aria-label="Labels">
        {file.labels.length === 0 ? <li className="muted small">No labels</li> : null}
        {file.labels.map((label) => (
          <li key={label} className="chip">
            {label}
            {readOnly ? null : (
              <button
                type="button"
                className="chip__remove"
                aria-label={`Remove label ${label}`}
                onClick={() => void save(file.labels.filter((l) => l !== label))}
              >
                ×
              </button>
            )}
          </li>
        ))}
      </ul>
      {readOnly ? null : (
        <form className="url-row" onSubmit={add}>
          <input
            aria-label="New label"
            placeholder="Add a label"
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
          />
          <Button type="submit">Add</Button>
        </form>
      )}
      {error ? (
        <p className="form__error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
