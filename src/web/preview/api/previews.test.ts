import { describe, expect, it } from 'vitest';
import type { FileDescriptor } from '../../../contract';
import { previewKeys, renditionsOf } from './previews';

function file(media: FileDescriptor['media'], mediaType: FileDescriptor['mediaType']): FileDescriptor {
  return {
    id: 'f1',
    displayName: 'x',
    url: '',
    parentFolderId: 'media-root',
    hash: 'h',
    sizeInBytes: '1',
    private: false,
    mediaType,
    media,
    operationStatus: 'READY',
    thumbnailUrl: '',
    labels: [],
    createdDate: '',
    updatedDate: '',
    siteId: 's',
    state: 'OK',
    mimeType: 'application/octet-stream',
    failureReason: null,
    sourceUrl: null,
  };
}

describe('renditionsOf', () => {
  it('lists what processing made, as the download menu offers it', () => {
    const video = file(
      {
        video: {
          id: 'f1',
          filename: 'x.mp4',
          resolutions: [
            { url: '', width: 854, height: 480, format: '480p.mp4' },
            { url: '', width: 1280, height: 720, format: '720p.mp4' },
            { url: '', width: 1280, height: 720, format: 'hls' },
          ],
          posters: [{ id: 'p', url: '', width: 1280, height: 720, filename: 'x.jpg' }],
        },
      },
      'VIDEO',
    );
    // HLS is streamed, never downloaded.
    expect(renditionsOf(video).map((r) => r.assetKey)).toEqual(['480p.mp4', '720p.mp4', 'poster']);

    const image = file(
      {
        image: {
          image: { id: 'f1', url: '', width: 10, height: 10, filename: 'x.png' },
          faces: [],
          previewImage: { id: 'p', url: '', width: 10, height: 10, filename: 'x.webp' },
        },
      },
      'IMAGE',
    );
    expect(renditionsOf(image).map((r) => r.assetKey)).toEqual(['preview']);

    const unprocessed = file(
      { image: { image: { id: 'f1', url: '', width: 0, height: 0, filename: 'x.png' }, faces: [] } },
      'IMAGE',
    );
    expect(renditionsOf(unprocessed)).toEqual([]);
  });

  it('keys every preview URL under one root, per file and asset', () => {
    expect(previewKeys.asset('f1', 'preview').slice(0, 1)).toEqual(previewKeys.all);
    expect(previewKeys.stream('f1')).not.toEqual(previewKeys.stream('f2'));
  });
});
