import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import type { FileDescriptor } from '../../contract';
import { displayUrl, isTransformable } from '../images/transform-url';
import { useDevicePixelRatio } from '../images/use-device-pixel-ratio';
import { assetUrlQueryOptions, streamUrlQueryOptions } from './api/previews';

export type PreviewMode = 'panel' | 'viewer';

/**
 * The URL of one asset of a file: the public URL the server put in `media` (or the original's), or, for a
 * private file, a signed inline URL asked for when needed.
 */
function useAssetUrl(file: FileDescriptor, assetKey: string, publicUrl: string | undefined) {
  const signed = useQuery({ ...assetUrlQueryOptions(file.id, assetKey), enabled: file.private });
  return file.private ? signed.data : publicUrl || undefined;
}

/**
 * A file's preview: images (the preview rendition; GIFs as they are, so they animate), video through hls.js
 * with its poster (MP4 when the browser has no Media Source Extensions), audio from its MP3, PDFs (first page
 * in the panel, the document in the viewer), and the type's icon for everything else. PENDING shows a
 * processing state that turns into the preview by itself; FAILED falls back to the original where the browser
 * can show one (the reason is beside it).
 */
export function MediaPreview({ file, mode }: { file: FileDescriptor; mode: PreviewMode }) {
  if (file.operationStatus === 'PENDING') {
    return (
      <div className={`preview preview--${mode} preview--pending`} role="status">
        <span className="spinner" aria-hidden="true" />
        <span>Processing… the preview appears when it is ready.</span>
      </div>
    );
  }
  // A FAILED file has no renditions, but its original is there: the browser may well show it (a PDF whose
  // thumbnail could not be made, an image or a video the server could not read).
  if (file.operationStatus === 'READY' || file.operationStatus === 'FAILED') {
    switch (file.mediaType) {
      case 'IMAGE':
      case 'VECTOR':
        return <ImagePreview file={file} mode={mode} />;
      case 'VIDEO':
        if (file.media.video?.resolutions.some((r) => r.format === 'hls')) {
          return <VideoPreview file={file} mode={mode} />;
        }
        if (file.operationStatus === 'FAILED') return <OriginalVideoPreview file={file} mode={mode} />;
        break;
      case 'AUDIO':
        return <AudioPreview file={file} mode={mode} />;
      case 'DOCUMENT':
        if (file.mimeType === 'application/pdf') return <PdfPreview file={file} mode={mode} />;
        break;
      default:
        break;
    }
  }
  return <IconPreview file={file} mode={mode} />;
}

function IconPreview({ file, mode }: { file: FileDescriptor; mode: PreviewMode }) {
  return (
    <div className={`preview preview--${mode} preview--icon`}>
      <img src={file.thumbnailUrl} alt="" />
    </div>
  );
}

function ImagePreview({ file, mode }: { file: FileDescriptor; mode: PreviewMode }) {
  const image = file.media.image ?? file.media.vector;
  // A GIF may be animated: the original keeps its animation, the preview rendition does not.
  const usePreview = !!image?.previewImage && file.mimeType !== 'image/gif';
  const src = useAssetUrl(
    file,
    usePreview ? 'preview' : 'src',
    usePreview ? image?.previewImage?.url : file.url,
  );
  const [zoomed, setZoomed] = useState(false);
  const dpr = useDevicePixelRatio();
  const [transformFailed, setTransformFailed] = useState(false);
  // At full size the preview rendition (at most 1600 px) is blurry when the original is bigger: load the
  // original then (its public URL, or a signed one for a private file).
  const needsOriginal =
    zoomed && usePreview && (image?.image.width ?? 0) > (image?.previewImage?.width ?? Infinity);
  const signedOriginal = useQuery({
    ...assetUrlQueryOptions(file.id, 'src'),
    enabled: file.private && needsOriginal,
  });
  const original = file.private ? signedOriginal.data : file.url || undefined;
  const shown = needsOriginal && original ? original : src;
  if (!src) return <IconPreview file={file} mode={mode} />;
  // A public image comes through a transformation sized for the screen (the viewer: the window's long side;
  // zoomed: the original's pixels), falling back to the rendition if the server refuses transformations.
  const transformed = isTransformable(file) && !transformFailed && !zoomed;
  const screenSide = mode === 'viewer' ? Math.max(window.innerWidth, window.innerHeight) : 290;
  const img = (
    <img
      className={`preview__image${zoomed ? ' preview__image--zoomed' : ''}`}
      src={transformed ? displayUrl(file, screenSide, dpr) : shown}
      onError={transformed ? () => setTransformFailed(true) : undefined}
      alt={`Preview of ${file.displayName}`}
      width={image?.image.width || undefined}
      height={image?.image.height || undefined}
    />
  );
  if (mode === 'panel') return <div className="preview preview--panel">{img}</div>;
  return (
    <div className={`preview preview--viewer${zoomed ? ' preview--zoomed' : ''}`}>
      <button
        type="button"
        className="preview__zoom"
        aria-pressed={zoomed}
        aria-label={zoomed ? 'Fit to screen' : 'Zoom to full size'}
        title={zoomed ? 'Fit to screen (Z)' : 'Zoom to full size (Z)'}
        onClick={() => setZoomed((z) => !z)}
        onKeyDown={(event) => {
          if (event.key === 'z' || event.key === 'Z') setZoomed((z) => !z);
        }}
      >
        {img}
      </button>
    </div>
  );
}

function VideoPreview({ file, mode }: { file: FileDescriptor; mode: PreviewMode }) {
  const video = file.media.video;
  const poster = useAssetUrl(file, 'poster', video?.posters?.[0]?.url);
  const mp4 = video?.resolutions.filter((r) => r.format.endsWith('.mp4')).at(-1);
  const fallback = useAssetUrl(file, mp4?.format ?? 'src', mp4?.url);
  const stream = useQuery(streamUrlQueryOptions(file.id));
  const ref = useRef<HTMLVideoElement>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const element = ref.current;
    const url = stream.data;
    if (!element || !url) return;
    let cancelled = false;
    let destroy: (() => void) | undefined;
    // hls.js only loads with a video: it is a chunk of its own.
    void import('hls.js').then(({ default: Hls }) => {
      if (cancelled) return;
      if (Hls.isSupported()) {
        const hls = new Hls({ maxBufferLength: 30 });
        hls.on(Hls.Events.ERROR, (_event, data) => {
          if (data.fatal) setError('The video stream could not be played.');
        });
        hls.loadSource(url);
        hls.attachMedia(element);
        destroy = () => hls.destroy();
      } else if (element.canPlayType('application/vnd.apple.mpegurl')) {
        element.src = url;
      } else if (fallback) {
        element.src = fallback;
      }
    });
    return () => {
      cancelled = true;
      destroy?.();
    };
  }, [stream.data, fallback]);

  return (
    <div className={`preview preview--${mode} preview--video`}>
      <video
        ref={ref}
        className="preview__video"
        controls
        playsInline
        preload="metadata"
        poster={poster}
        aria-label={`Video ${file.displayName}`}
        data-stream={stream.data ? 'hls' : undefined}
      />
      {error || stream.isError ? (
        <p className="form__error" role="alert">
          {error ?? 'The video stream could not be loaded.'}
        </p>
      ) : null}
    </div>
  );
}

/** A video the server could not process: the original, played by the browser if it can. */
function OriginalVideoPreview({ file, mode }: { file: FileDescriptor; mode: PreviewMode }) {
  const src = useAssetUrl(file, 'src', file.url);
  if (!src) return <IconPreview file={file} mode={mode} />;
  return (
    <div className={`preview preview--${mode} preview--video`}>
      <video
        className="preview__video"
        src={src}
        controls
        playsInline
        preload="metadata"
        aria-label={`Video ${file.displayName}`}
      />
    </div>
  );
}

function AudioPreview({ file, mode }: { file: FileDescriptor; mode: PreviewMode }) {
  const mp3 = file.media.audio?.assets.find((a) => a.assetKey === 'mp3');
  const src = useAssetUrl(file, mp3 ? 'mp3' : 'src', mp3 ? mp3.url : file.url);
  return (
    <div className={`preview preview--${mode} preview--audio`}>
      <img src={file.thumbnailUrl} alt="" className="preview__audio-icon" />
      {src ? <audio src={src} controls preload="metadata" aria-label={`Audio ${file.displayName}`} /> : null}
    </div>
  );
}

function PdfPreview({ file, mode }: { file: FileDescriptor; mode: PreviewMode }) {
  const page = file.media.document?.thumbnail;
  const firstPage = useAssetUrl(
    file,
    'preview',
    page ? page.url.replace(/\/thumbnail(?=\?|$)/, '/preview') : undefined,
  );
  const document = useQuery({ ...assetUrlQueryOptions(file.id, 'src'), enabled: mode === 'viewer' });
  if (mode === 'viewer' && document.data) {
    return (
      <div className="preview preview--viewer preview--pdf">
        <iframe className="preview__pdf" src={document.data} title={`PDF ${file.displayName}`} />
      </div>
    );
  }
  if (!firstPage) return <IconPreview file={file} mode={mode} />;
  return (
    <div className={`preview preview--${mode}`}>
      <img className="preview__image" src={firstPage} alt={`First page of ${file.displayName}`} />
    </div>
  );
}
