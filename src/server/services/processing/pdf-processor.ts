import path from 'node:path';
import { loadSharp, MAX_PIXELS, PREVIEW_PX, stills } from './image-processor.ts';
import { assetUrl, MINUTE, type ProcessInput, type Processed } from './processed.ts';
import { runCommand } from './run-command.ts';

/**
 * PDFs (poppler's pdftoppm): the first page rendered, as thumbnail and preview. pdftoppm reads the one file
 * (poppler opens no URL and no other file but system fonts); one page, its long side scaled to the preview
 * size whatever the page's declared size, so neither page count nor a huge MediaBox costs more.
 */
export async function processPdf(input: ProcessInput): Promise<Processed> {
  const base = path.join(input.workDir, 'page');
  await runCommand(
    'pdftoppm',
    ['-f', '1', '-l', '1', '-singlefile', '-png', '-scale-to', String(PREVIEW_PX), input.path, base],
    { signal: input.signal, timeoutMs: 2 * MINUTE },
  );
  const sharp = await loadSharp();
  const page = sharp(`${base}.png`, { failOn: 'error', limitInputPixels: MAX_PIXELS });
  const renditions = await stills(page, input.workDir);
  const thumbnail = renditions.find((r) => r.assetKey === 'thumbnail')!;
  return {
    media: {
      document: {
        id: input.fileId,
        url: '',
        filename: input.fileName,
        sizeInBytes: '0',
        thumbnail: {
          id: `${input.fileId}/thumbnail`,
          url: assetUrl('thumbnail'),
          width: thumbnail.width ?? 0,
          height: thumbnail.height ?? 0,
          filename: `${path.parse(input.fileName).name}.webp`,
        },
      },
    },
    renditions,
  };
}
