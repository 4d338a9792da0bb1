import { useState } from 'react';
import type { FileDescriptor } from '../../contract';
import { Button } from '../components/ui/button';
import { useToast } from '../components/ui/toast';
import { useSharingActions } from './api';
import { ShareDialog } from './share-dialog';
import './sharing.css';

/**
 * The info panel's privacy and sharing: a switch for the file's privacy (a private file's URL answers 403; it
 * is read through signed links only) and "Share link…". Shown for live files in the admin app.
 */
export function SharingSection({ file }: { file: FileDescriptor }) {
  const actions = useSharingActions();
  const toast = useToast();
  const [busy, setBusy] = useState(false);
  const [sharing, setSharing] = useState(false);

  const toggle = async () => {
    setBusy(true);
    try {
      await actions.setPrivate([file.id], !file.private);
      toast({ title: file.private ? `“${file.displayName}” is public` : `“${file.displayName}” is private` });
    } catch (error) {
      toast({
        title: 'Could not change the privacy',
        description: error instanceof Error ? error.message : undefined,
        variant: 'error',
      });
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="sharing">
      <label className="sharing__switch">
        <input
          type="checkbox"
          role="switch"
          checked={file.private}
          disabled={busy}
          onChange={() => void toggle()}
        />
        <span>
          <span className="sharing__switch-label">Private</span>
          <span className="muted small sharing__hint">
            {file.private ? 'Only signed links open it.' : 'Its URL opens it for anyone.'}
          </span>
        </span>
      </label>
      <Button onClick={() => setSharing(true)}>Share link…</Button>
      {sharing ? <ShareDialog file={file} open={sharing} onOpenChange={setSharing} /> : null}
    </div>
  );
}
