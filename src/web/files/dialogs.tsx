import { useState, type FormEvent } from 'react';
import { FILE_NAME_MAX, FOLDER_NAME_MAX, hasForbiddenCharacter } from '../../contract';
import { Button } from '../components/ui/button';
import { Dialog, DialogFooter } from '../components/ui/dialog';
import { FolderTree } from '../folders/folder-tree';
import { AREAS } from '../folders/paths';
import { isApiError } from '../lib/api-client';
import { itemName, type Item } from './api/items';

/** What is wrong with a name, checked before the server sees it (the server checks again). */
export function nameProblem(name: string, max: number): string | null {
  if (name.trim().length === 0) return 'Enter a name.';
  if ([...name].length > max) return `Use at most ${max} characters.`;
  // The server's rule (bidirectional controls included), so the form refuses what the server would.
  if (hasForbiddenCharacter(name)) return 'Remove the control characters.';
  if (/[/\\]/.test(name)) return 'A name cannot contain / or \\.';
  if (name.trim() === '.' || name.trim() === '..') return 'Choose another name.';
  return null;
}

function errorMessage(error: unknown): string {
  if (isApiError(error) && error.fieldViolations.length > 0) {
    return error.fieldViolations.map((v) => v.description).join(' ');
  }
  return error instanceof Error ? error.message : 'That did not work.';
}

interface NameDialogProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  label: string;
  initial: string;
  max: number;
  submitLabel: string;
  /** Resolves when saved; a rejection is shown in the dialog. */
  onSubmit: (name: string) => Promise<unknown>;
}

/** A dialog with one validated name field: used for New folder and Rename. */
export function NameDialog(props: NameDialogProps) {
  const { open, onOpenChange, title, label, initial, max, submitLabel, onSubmit } = props;
  const [name, setName] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [shownFor, setShownFor] = useState<string | null>(null);
  // Reset the field each time the dialog opens for another item.
  if (open && shownFor !== initial) {
    setShownFor(initial);
    setName(initial);
    setError(null);
  }
  if (!open && shownFor !== null) setShownFor(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const trimmed = name.trim();
    const problem = nameProblem(trimmed, max);
    if (problem) {
      setError(problem);
      return;
    }
    if (trimmed === initial) {
      onOpenChange(false);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await onSubmit(trimmed);
      onOpenChange(false);
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog open={open} onOpenChange={(next) => !busy && onOpenChange(next)} title={title}>
      <form className="form" onSubmit={(e) => void submit(e)} noValidate>
        <div className="field">
          <label htmlFor="name-dialog-input">{label}</label>
          <input
            id="name-dialog-input"
            value={name}
            autoFocus
            onFocus={(event) => {
              // Select the name without its extension, as file managers do.
              const dot = event.target.value.lastIndexOf('.');
              event.target.setSelectionRange(0, dot > 0 ? dot : event.target.value.length);
            }}
            onChange={(event) => setName(event.target.value)}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? 'name-dialog-error' : undefined}
            maxLength={max + 1}
          />
        </div>
        {error ? (
          <p className="form__error" id="name-dialog-error" role="alert">
            {error}
          </p>
        ) : null}
        <DialogFooter>
          <Button onClick={() => onOpenChange(false)} disabled={busy}>
            Cancel
          </Button>
          <Button type="submit" variant="primary" disabled={busy}>
            {busy ? 'Saving…' : submitLabel}
          </Button>
        </DialogFooter>
      </form>
    </Dialog>
  );
}

export function RenameDialog({
  item,
  onClose,
  onRename,
}: {
  item: Item | null;
  onClose: () => void;
  onRename: (item: Item, name: string) => Promise<unknown>;
}) {
  return (
    <NameDialog
      open={item !== null}
      onOpenChange={(open) => !open && onClose()}
      title={item?.kind === 'folder' ? 'Rename folder' : 'Rename file'}
      label="Name"
      initial={item ? itemName(item) : ''}
      max={item?.kind === 'folder' ? FOLDER_NAME_MAX : FILE_NAME_MAX}
      submitLabel="Rename"
      onSubmit={(name) => (item ? onRename(item, name) : Promise.resolve())}
    />
  );
}

/** Move to...: pick a folder in a tree; a folder being moved (and its subtree) cannot be picked. */
export function MoveDialog({
  items,
  area,
  onClose,
  onMove,
  title,
}: {
  items: Item[] | null;
  area: 'files' | 'visitor';
  onClose: () => void;
  onMove: (target: { id: string; name: string }) => Promise<unknown>;
  /** Instead of naming the items (a whole folder, "Move all 3,000 items to…"). */
  title?: string;
}) {
  const root = AREAS[area];
  const other = AREAS[area === 'visitor' ? 'files' : 'visitor'];
  const [target, setTarget] = useState<{ id: string; name: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const open = items !== null;
  const moving = new Set(
    (items ?? []).filter((i) => i.kind === 'folder').map((i) => (i.kind === 'folder' ? i.folder.id : '')),
  );

  const submit = async () => {
    if (!target) return;
    setBusy(true);
    setError(null);
    try {
      await onMove(target);
      setTarget(null);
      onClose();
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        if (!next && !busy) {
          setTarget(null);
          setError(null);
          onClose();
        }
      }}
      title={
        title ??
        (items && items.length === 1 && items[0]
          ? `Move “${itemName(items[0])}” to…`
          : `Move ${items?.length ?? 0} items to…`)
      }
      description="Choose a folder. Folders you are moving cannot be chosen."
      size="wide"
    >
      <div className="move-tree">
        <FolderTree
          rootId={root.root}
          rootName={root.name}
          selectedId={target?.id ?? null}
          onSelect={setTarget}
          disabledIds={moving}
          label="Destination folder"
        />
        {/* The other area, collapsed: approving a visitor's upload is a move into Site Files, and the keyboard
            has no drag and drop to do it with. */}
        <FolderTree
          rootId={other.root}
          rootName={other.name}
          selectedId={target?.id ?? null}
          onSelect={setTarget}
          disabledIds={moving}
          expandIds={[]}
          label={`Destination folder in ${other.name}`}
        />
      </div>
      {error ? (
        <p className="form__error" role="alert">
          {error}
        </p>
      ) : null}
      <DialogFooter>
        <Button onClick={onClose} disabled={busy}>
          Cancel
        </Button>
        <Button variant="primary" disabled={!target || busy} onClick={() => void submit()}>
          {busy ? 'Moving…' : target ? `Move to ${target.name}` : 'Move'}
        </Button>
      </DialogFooter>
    </Dialog>
  );
}

const SHORTCUTS: [string, string][] = [
  ['Arrow keys', 'Move through the items'],
  ['Space', 'Select or unselect the focused item'],
  ['Shift + click or Shift + arrows', 'Select a range'],
  ['Ctrl/⌘ + click', 'Add or remove one item'],
  ['Ctrl/⌘ + A', 'Select everything loaded'],
  ['Esc', 'Clear the selection'],
  ['Enter', 'Open a folder or preview a file'],
  ['F2', 'Rename'],
  ['Delete', 'Move to the trash (in Trash: delete forever)'],
  ['Ctrl/⌘ + Z', 'Undo the last move, trash, rename or restore (while its message shows)'],
  ['/', 'Search'],
  ['A / R (Review new uploads)', 'Approve / reject the visitor upload shown'],
  ['?', 'Show these shortcuts'],
];

export function ShortcutSheet({
  open,
  onOpenChange,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange} title="Keyboard shortcuts">
      <dl className="shortcuts">
        {SHORTCUTS.map(([keys, what]) => (
          <div key={keys} className="shortcuts__row">
            <dt>
              <kbd>{keys}</kbd>
            </dt>
            <dd>{what}</dd>
          </div>
        ))}
      </dl>
      <DialogFooter>
        <Button variant="primary" onClick={() => onOpenChange(false)}>
          Close
        </Button>
      </DialogFooter>
    </Dialog>
  );
}
