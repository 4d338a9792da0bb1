import { useRef, useState, type ChangeEvent, type DragEvent } from 'react';
import type { FileDescriptor, MediaType } from '../../contract';
import { Button } from '../components/ui/button';
import { useToast } from '../components/ui/toast';
import { useUpload } from '../uploads/index';
import { filesFromDrop, snapshotDrop } from './file-drop';

/** What the file chooser offers: the same kind of media (the server refuses another kind anyway). */
const ACCEPT: Partial<Record<MediaType, string>> = {
  IMAGE: 'image/*',
  VECTOR: 'image/svg+xml,.svg',
  VIDEO: 'video/*',
  AUDIO: 'audio/*',
};

/** The modifier that turns a drop of a file on a file's tile into Replace (shown in the tile's tooltip). */
export const REPLACE_DROP_HINT = 'Alt-drop a file here to replace its content';

/**
 * Replace: uploads one file as `file`'s new content (same id, URL, name and folder; the old content goes to the
 * trash as a version of its own). Progress shows in the upload tray like any upload.
 */
export function useReplaceFile() {
  const upload = useUpload();
  const toast = useToast();
  return (file: FileDescriptor, chosen: File) => {
    upload([chosen], { parentFolderId: file.parentFolderId, replaceFileId: file.id });
    // The uploader refreshes the listings and the file's details once the new bytes are in.
    toast({ title: `Replacing the content of ${file.displayName}` });
  };
}

/** The details panel's "Replace…" button, with its hidden file chooser. */
export function ReplaceButton({ file }: { file: FileDescriptor }) {
  const input = useRef<HTMLInputElement>(null);
  const replace = useReplaceFile();
  const [key, setKey] = useState(0);
  const chosen = (event: ChangeEvent<HTMLInputElement>) => {
    const picked = event.target.files?.[0];
    if (picked) replace(file, picked);
    // A new input: choosing the same file again fires `change` again.
    setKey((k) => k + 1);
  };
  return (
    <div className="field replace-file">
      <Button
        onClick={() => input.current?.click()}
        title={`Upload a new version under the same URL. ${REPLACE_DROP_HINT}.`}
      >
        Replace…
      </Button>
      <input
        key={key}
        ref={input}
        type="file"
        hidden
        aria-label={`New content for ${file.displayName}`}
        accept={ACCEPT[file.mediaType]}
        onChange={chosen}
      />
      <p className="muted small">New content, same URL; the current version goes to the trash.</p>
    </div>
  );
}

/**
 * Props for a file's tile: a file from the desktop dropped on it with Alt held replaces its content. Without
 * Alt the drop is left to the page (an upload into the folder), as before.
 */
export function useReplaceDrop(file: FileDescriptor | null) {
  const replace = useReplaceFile();
  const [active, setActive] = useState(false);
  const wants = (event: DragEvent) =>
    file !== null && event.altKey && Array.from(event.dataTransfer.types).includes('Files');
  return {
    active,
    enabled: file !== null,
    props: {
      onDragOver(event: DragEvent) {
        if (!wants(event)) {
          if (active) setActive(false);
          return;
        }
        event.preventDefault();
        event.stopPropagation();
        event.dataTransfer.dropEffect = 'copy';
        if (!active) setActive(true);
      },
      onDragLeave() {
        setActive(false);
      },
      onDrop(event: DragEvent) {
        setActive(false);
        if (!wants(event) || !file) return;
        event.preventDefault();
        event.stopPropagation();
        void filesFromDrop(snapshotDrop(event.dataTransfer)).then((files) => {
          const first = files[0];
          if (first) replace(file, first);
        });
      },
    },
  };
}
