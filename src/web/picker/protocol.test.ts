import { describe, expect, it } from 'vitest';
import type { FileDescriptor } from '../../contract';
// The server's own parser: the URL a host gets must be one the server accepts, at the size asked for.
import { parseTransform } from '../../server/services/images/transform-grammar';
import { buildPickedItem, parsePickerParams } from './protocol';

const image: FileDescriptor = {
  id: 'abc123',
  displayName: 'Sunset at sea.jpg',
  url: 'https://media.example.com/media/abc123',
  parentFolderId: 'media-root',
  hash: 'h',
  sizeInBytes: '1000',
  private: false,
  mediaType: 'IMAGE',
  media: {
    image: {
      image: { id: 'abc123', url: '', width: 1600, height: 1200, filename: 'Sunset at sea.jpg' },
      faces: [],
    },
  },
  operationStatus: 'READY',
  thumbnailUrl: 'https://media.example.com/thumb/abc123',
  labels: [],
  createdDate: '2024-01-01T00:00:00.000Z',
  updatedDate: '2024-01-01T00:00:00.000Z',
  siteId: 'site',
  state: 'OK',
  mimeType: 'image/jpeg',
};

describe('picked items with transform', () => {
  it('gives a public image the transformation URL asked for, keeps the original and leaves others alone', () => {
    const { transform, transformWarning } = parsePickerParams(
      new URLSearchParams('origin=https://a.example&transform=fill&w=640&h=480'),
    );
    expect(transformWarning).toBeNull();
    const item = buildPickedItem(image, null, transform);
    expect(item.url).toBe(
      'https://media.example.com/media/abc123/v1/fill/w_640,h_480,al_c/Sunset-at-sea.jpg',
    );
    expect(parseTransform(item.url.split('/v1/')[1] ?? '').resize).toEqual({
      mode: 'fill',
      w: 640,
      h: 480,
      align: 'c',
    });
    expect(item.originalUrl).toBe(image.url);
    expect(item.mediaUri).toBe(
      'wix:image://v1/abc123/Sunset%20at%20sea.jpg#originWidth=1600&originHeight=1200',
    );

    // Private files (signed URL) and other media types are unchanged.
    const signed = { url: 'https://media.example.com/signed/abc123', expiresAt: '2025-01-01T00:00:00.000Z' };
    const privateItem = buildPickedItem({ ...image, private: true }, signed, transform);
    expect(privateItem.url).toBe(signed.url);
    expect(privateItem.originalUrl).toBeUndefined();
    const doc = buildPickedItem(
      { ...image, mediaType: 'DOCUMENT', mimeType: 'application/pdf' },
      null,
      transform,
    );
    expect(doc.url).toBe(image.url);

    // Invalid values are ignored as a whole, with a warning.
    for (const bad of [
      'transform=fill&w=0&h=480',
      'transform=fit&w=640&h=5001',
      'transform=stretch&w=1&h=1',
    ]) {
      const parsed = parsePickerParams(new URLSearchParams(bad));
      expect(parsed.transform).toBeNull();
      expect(parsed.transformWarning).toMatch(/ignoring transform/);
    }
  });
});
