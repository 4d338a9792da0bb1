import { useState, type FormEvent } from 'react';
import type { FileDescriptor } from '../../contract';
import { Button } from '../components/ui/button';
import { Dialog, DialogFooter } from '../components/ui/dialog';
import { apiClient } from '../lib/api-client';
import { ownerSentence } from '../lib/owner-messages';

interface ImportResult {
  itemMetadata: {
    originalIndex: number;
    success: boolean;
    error?: { description?: string; code?: string } | null;
  };
  item?: FileDescriptor | null;
}

type Row = { url: string; state: 'queued' | 'failed'; reason?: string };

/** Import from URL: several URLs, one per line; each gets its own status. The server fetches in the background. */
export function ImportDialog({
  open,
  onOpenChange,
  parentFolderId,
  onImported,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  parentFolderId: string;
  onImported: () => void;
}) {
  const [text, setText] = useState('');
  const [rows, setRows] = useState<Row[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const urls = text
      .split(/\s+/)
      .map((u) => u.trim())
      .filter(Boolean);
    const bad = urls.find((u) => !/^https?:\/\//i.test(u) || !URL.canParse(u));
    if (urls.length === 0) return setError('Enter at least one URL.');
    if (bad) return setError(`Not an http(s) URL: ${bad}`);
    if (urls.length > 100) return setError('Import at most 100 URLs at a time.');
    setBusy(true);
    setError(null);
    try {
      const response = await apiClient.post<{ results: ImportResult[] }>(
        '/site-media/v1/bulk/files/import-v2',
        {
          importFileRequests: urls.map((url) => ({ url, parentFolderId })),
          returnEntity: true,
        },
      );
      setRows(
        urls.map((url, index) => {
          const result = response.results.find((r) => r.itemMetadata.originalIndex === index);
          return result?.itemMetadata.success
            ? { url, state: 'queued' }
            : {
                url,
                state: 'failed',
                reason: ownerSentence(result?.itemMetadata.error?.description ?? 'Refused'),
              };
        }),
      );
      setText('');
      onImported();
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : 'The import failed.');
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        if (busy) return;
        if (!next) {
          setRows([]);
          setError(null);
        }
        onOpenChange(next);
      }}
      title="Import from URL"
      description="One URL per line. Files are fetched by the server and show as Processing until they arrive."
      size="wide"
    >
      <form className="form" onSubmit={(e) => void submit(e)}>
        <div className="field">
          <label htmlFor="import-urls">URLs</label>
          <textarea
            id="import-urls"
            rows={5}
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder="https://example.com/photo.jpg"
          />
        </div>
        {error ? (
          <p className="form__error" role="alert">
            {error}
          </p>
        ) : null}
        {rows.length > 0 ? (
          <ul className="import-results" aria-label="Import results">
            {rows.map((row, index) => (
              <li
                key={`${row.url}-${index}`}
                className={row.state === 'failed' ? 'import-results__failed' : undefined}
              >
                <span className="import-results__url">{row.url}</span>
                <span>{row.state === 'queued' ? 'Importing…' : `Failed: ${row.reason ?? ''}`}</span>
              </li>
            ))}
          </ul>
        ) : null}
        <DialogFooter>
          <Button onClick={() => onOpenChange(false)} disabled={busy}>
            Close
          </Button>
          <Button type="submit" variant="primary" disabled={busy}>
            {busy ? 'Importing…' : 'Import'}
          </Button>
        </DialogFooter>
      </form>
    </Dialog>
  );
}
