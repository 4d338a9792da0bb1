import { useEffect, useState } from 'react';
import { formatBytes } from '../lib/format';

/** What a browser's `<img>` sends, so `enc_auto` answers the format a page would get (AVIF, else WebP). */
const IMAGE_ACCEPT = 'image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8';

const FORMAT_NAMES: Record<string, string> = {
  'image/jpeg': 'JPEG',
  'image/png': 'PNG',
  'image/webp': 'WebP',
  'image/avif': 'AVIF',
  'image/gif': 'GIF',
};

type State =
  | { status: 'loading' }
  | { status: 'error'; message: string }
  | { status: 'ready'; objectUrl: string; bytes: number; type: string };

/** The server's reason from the contract's error body, or the status. */
async function failure(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { message?: unknown };
    if (typeof body.message === 'string' && body.message) return `${body.message} (${response.status})`;
  } catch {
    // Not JSON: the status says enough.
  }
  return `The server answered ${response.status}.`;
}

/**
 * The rendered result of a transformation URL, fetched as a page's `<img>` would ask for it, with what it
 * weighs and the format the server chose.
 */
export function VariantPreview({ url, alt }: { url: string; alt: string }) {
  const [state, setState] = useState<State>({ status: 'loading' });
  const [natural, setNatural] = useState<{ w: number; h: number } | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    let objectUrl: string | undefined;
    setState({ status: 'loading' });
    setNatural(null);
    void (async () => {
      try {
        const response = await fetch(url, { headers: { Accept: IMAGE_ACCEPT }, signal: controller.signal });
        if (!response.ok) {
          setState({ status: 'error', message: await failure(response) });
          return;
        }
        const blob = await response.blob();
        objectUrl = URL.createObjectURL(blob);
        setState({ status: 'ready', objectUrl, bytes: blob.size, type: blob.type });
      } catch (error) {
        if (controller.signal.aborted) return;
        setState({ status: 'error', message: error instanceof Error ? error.message : 'Could not load it.' });
      }
    })();
    return () => {
      controller.abort();
      if (objectUrl) URL.revokeObjectURL(objectUrl);
    };
  }, [url]);

  return (
    <figure className="variant-preview" aria-busy={state.status === 'loading'}>
      <div className="variant-preview__stage">
        {state.status === 'ready' ? (
          <img
            src={state.objectUrl}
            alt={alt}
            data-url={url}
            onLoad={(e) => setNatural({ w: e.currentTarget.naturalWidth, h: e.currentTarget.naturalHeight })}
          />
        ) : state.status === 'loading' ? (
          <span className="spinner" aria-hidden="true" />
        ) : null}
      </div>
      <figcaption className="small" role="status">
        {state.status === 'ready'
          ? [
              natural ? `${natural.w} × ${natural.h}` : null,
              FORMAT_NAMES[state.type] ?? state.type,
              formatBytes(state.bytes),
            ]
              .filter(Boolean)
              .join(' · ')
          : state.status === 'loading'
            ? 'Rendering…'
            : null}
      </figcaption>
      {state.status === 'error' ? (
        <p className="form__error" role="alert">
          {state.message}
        </p>
      ) : null}
    </figure>
  );
}
