import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { FileDescriptor } from '../../contract';
import { Button } from '../components/ui/button';
import { Dialog, DialogFooter } from '../components/ui/dialog';
import { useToast } from '../components/ui/toast';
import { formatDate } from '../lib/format';
import {
  SHARE_EXPIRIES,
  shareLinksQueryOptions,
  useSharingActions,
  type ShareExpiry,
  type ShareLink,
} from './api';
import './sharing.css';

const messageOf = (error: unknown) => (error instanceof Error ? error.message : undefined);

/** Copies a link, saying so on the button for a moment. */
function CopyButton({ url, label }: { url: string; label: string }) {
  const toast = useToast();
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(url);
      setCopied(true);
      setTimeout(() => setCopied(false), 2000);
    } catch {
      toast({
        title: 'Could not copy the link',
        description: 'Select it and copy it instead.',
        variant: 'error',
      });
    }
  };
  return (
    <Button onClick={() => void copy()} aria-label={label}>
      {copied ? 'Copied' : 'Copy'}
    </Button>
  );
}

/**
 * "Share link": makes a download link of the file that works without signing in, until the expiry the owner
 * picks or until revoked, and lists the file's live links so any of them can be revoked.
 */
export function ShareDialog({
  file,
  open,
  onOpenChange,
}: {
  file: FileDescriptor;
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  const actions = useSharingActions();
  const toast = useToast();
  const links = useQuery({ ...shareLinksQueryOptions(file.id), enabled: open });
  const [expiresIn, setExpiresIn] = useState<ShareExpiry>('WEEK');
  const [created, setCreated] = useState<ShareLink | null>(null);
  const [busy, setBusy] = useState(false);

  const create = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    try {
      setCreated(await actions.createLink(file.id, expiresIn));
    } catch (error) {
      toast({ title: 'Could not create the link', description: messageOf(error), variant: 'error' });
    } finally {
      setBusy(false);
    }
  };

  const revoke = async (link: ShareLink) => {
    try {
      await actions.revokeLink(file.id, link.id);
      if (created?.id === link.id) setCreated(null);
      toast({ title: 'Link revoked: it no longer opens the file' });
    } catch (error) {
      toast({ title: 'Could not revoke the link', description: messageOf(error), variant: 'error' });
    }
  };

  const live = links.data ?? [];
  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      size="wide"
      title={`Share “${file.displayName}”`}
      description={
        file.private
          ? 'Anyone with a link can download this private file until the link expires or you revoke it.'
          : 'Anyone with a link can download this file, under its name, until the link expires or you revoke it.'
      }
    >
      <form className="share__create" onSubmit={(e) => void create(e)}>
        <label className="share__expiry">
          <span className="field__label">Link expires after</span>
          <select value={expiresIn} onChange={(e) => setExpiresIn(e.target.value as ShareExpiry)}>
            {SHARE_EXPIRIES.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
        </label>
        <Button type="submit" variant="primary" disabled={busy}>
          Create link
        </Button>
      </form>
      {created ? (
        <div className="share__new" role="status">
          <span className="field__label" id="share-new-label">
            New link, expires {formatDate(created.expiresDate)}
          </span>
          <div className="url-row">
            <input
              aria-labelledby="share-new-label"
              readOnly
              value={created.url}
              onFocus={(e) => e.target.select()}
            />
            <CopyButton url={created.url} label="Copy new link" />
          </div>
        </div>
      ) : null}
      <section className="share__links" aria-labelledby="share-links-title">
        <h3 className="share__title" id="share-links-title">
          Active links{live.length > 0 ? ` (${live.length})` : ''}
        </h3>
        {links.isPending ? <p className="muted small">Loading…</p> : null}
        {links.isError ? (
          <p className="form__error" role="alert">
            Could not load the links. {messageOf(links.error)}
          </p>
        ) : null}
        {links.isSuccess && live.length === 0 ? <p className="muted small">No active links.</p> : null}
        {live.length > 0 ? (
          <ul className="share__list" aria-label="Active links">
            {live.map((link) => (
              <li
                key={link.id}
                className="share__link"
                aria-label={`Link expiring ${formatDate(link.expiresDate)}`}
              >
                <div className="share__link-text">
                  <span className="share__expires">Expires {formatDate(link.expiresDate)}</span>
                  <span
                    className="share__url muted"
                    title={`${link.url}\nCreated ${formatDate(link.createdDate)}`}
                  >
                    {link.url}
                  </span>
                </div>
                <div className="share__link-actions">
                  <CopyButton url={link.url} label={`Copy link expiring ${formatDate(link.expiresDate)}`} />
                  <Button
                    variant="danger"
                    onClick={() => void revoke(link)}
                    aria-label={`Revoke link expiring ${formatDate(link.expiresDate)}`}
                  >
                    Revoke
                  </Button>
                </div>
              </li>
            ))}
          </ul>
        ) : null}
      </section>
      <DialogFooter>
        <Button onClick={() => onOpenChange(false)}>Done</Button>
      </DialogFooter>
    </Dialog>
  );
}
