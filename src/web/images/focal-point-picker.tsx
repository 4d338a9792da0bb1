import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState, type KeyboardEvent, type MouseEvent } from 'react';
import type { FileDescriptor } from '../../contract';
import { Button } from '../components/ui/button';
import { useToast } from '../components/ui/toast';
import { focalPointQueryOptions, useSetFocalPoint } from './focal-point-api';
import { displayUrl, type FocalPointPercent } from './transform-url';
import { useDevicePixelRatio } from './use-device-pixel-ratio';
import './image-delivery.css';

/** The panel is about 290 CSS pixels wide. */
const PANEL_IMAGE_SIZE = 290;
/** Arrow keys move the point 1% (Shift: 10%); the save waits until the keys rest. */
const KEY_SAVE_DELAY_MS = 500;

const round1 = (n: number) => Math.round(Math.min(100, Math.max(0, n)) * 10) / 10;

/**
 * The info panel's preview of a public image, which also sets its focal point (what `fill` keeps in view):
 * click the picture, or focus it and use the arrow keys. The marker moves at once; the save is optimistic and
 * rolls back with a message if the server refuses.
 */
export function FocalPointPicker({ file }: { file: FileDescriptor }) {
  const dpr = useDevicePixelRatio();
  const query = useQuery(focalPointQueryOptions(file.id));
  const mutation = useSetFocalPoint(file.id);
  const toast = useToast();
  const imageRef = useRef<HTMLImageElement>(null);
  const [draft, setDraft] = useState<FocalPointPercent | null>(null);
  const [broken, setBroken] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);

  const saved = query.data ?? null;
  const point = draft ?? saved;
  const shown = point ?? { x: 50, y: 50 };

  const save = (next: FocalPointPercent | null) => {
    clearTimeout(timer.current);
    setDraft(null);
    mutation.mutate(next, {
      onError: (error) =>
        toast({
          title: 'Could not save the focal point',
          description: error instanceof Error ? error.message : undefined,
          variant: 'error',
        }),
    });
  };

  const onClick = (event: MouseEvent<HTMLDivElement>) => {
    const rect = imageRef.current?.getBoundingClientRect();
    if (!rect || rect.width === 0 || rect.height === 0) return;
    save({
      x: round1(((event.clientX - rect.left) / rect.width) * 100),
      y: round1(((event.clientY - rect.top) / rect.height) * 100),
    });
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const step = event.shiftKey ? 10 : 1;
    const moves: Record<string, [number, number]> = {
      ArrowLeft: [-step, 0],
      ArrowRight: [step, 0],
      ArrowUp: [0, -step],
      ArrowDown: [0, step],
    };
    const move = moves[event.key];
    if (event.key === 'Enter' && draft) {
      event.preventDefault();
      save(draft);
      return;
    }
    if (!move) return;
    event.preventDefault();
    // The grid and the panel listen for arrow keys too: these are the picker's.
    event.stopPropagation();
    const next = { x: round1(shown.x + move[0]), y: round1(shown.y + move[1]) };
    setDraft(next);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => save(next), KEY_SAVE_DELAY_MS);
  };

  // Where transformations are refused (TRANSFORM_MODE presets or signed), the preview rendition stands in.
  const fallback = (file.media.image ?? file.media.vector)?.previewImage?.url ?? file.url;
  const src = broken ? fallback : displayUrl(file, PANEL_IMAGE_SIZE, dpr);
  const position = point ? `${shown.x}% across, ${shown.y}% down` : 'the centre (not set)';
  return (
    <div className="focal-picker">
      <div className="preview preview--panel">
        <div
          className="focal-picker__target"
          role="group"
          tabIndex={0}
          aria-label={`Focal point: ${position}. Click the picture or use the arrow keys to move it.`}
          onClick={onClick}
          onKeyDown={onKeyDown}
        >
          {src ? (
            <img
              ref={imageRef}
              className="preview__image"
              src={src}
              alt={`Preview of ${file.displayName}`}
              draggable={false}
              onError={() => setBroken(true)}
            />
          ) : null}
          <span
            className={`focal-picker__marker${point ? '' : ' focal-picker__marker--unset'}`}
            style={{ left: `${shown.x}%`, top: `${shown.y}%` }}
            aria-hidden="true"
            data-testid="focal-marker"
          />
        </div>
      </div>
      <div className="focal-picker__bar">
        <span className="small muted" aria-live="polite">
          Focal point: {point ? `${Math.round(shown.x)}%, ${Math.round(shown.y)}%` : 'centre'}
          {mutation.isPending || draft ? ' · saving…' : ''}
        </span>
        {saved ? (
          <Button variant="ghost" className="button--small" onClick={() => save(null)}>
            Reset
          </Button>
        ) : null}
      </div>
    </div>
  );
}
