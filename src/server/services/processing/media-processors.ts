import { processAudio, processVideo } from './av-processors.ts';
import { processImage } from './image-processor.ts';
import { processPdf } from './pdf-processor.ts';
import type { ProcessInput, Processed } from './processed.ts';

export type { ProcessInput, Processed, Rendition } from './processed.ts';
export { assetUrl } from './processed.ts';

/** Which files processing handles; every other file is READY at ingest, with an icon for a thumbnail. */
export function isProcessable(mediaType: string, mimeType: string): boolean {
  switch (mediaType) {
    case 'IMAGE':
      return [
        'image/jpeg',
        'image/png',
        'image/webp',
        'image/gif',
        'image/avif',
        'image/tiff',
        'image/heif',
      ].includes(mimeType);
    case 'VECTOR':
      return mimeType === 'image/svg+xml';
    case 'VIDEO':
    case 'AUDIO':
      return true;
    case 'DOCUMENT':
      return mimeType === 'application/pdf';
    default:
      return false;
  }
}

export async function processFile(mediaType: string, input: ProcessInput): Promise<Processed> {
  switch (mediaType) {
    case 'IMAGE':
      return processImage(input, 'image');
    case 'VECTOR':
      return processImage(input, 'vector');
    case 'VIDEO':
      return processVideo(input);
    case 'AUDIO':
      return processAudio(input);
    case 'DOCUMENT':
      return processPdf(input);
    default:
      throw new Error(`No processing for ${mediaType}`);
  }
}
