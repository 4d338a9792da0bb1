import type { FileMedia, MediaType } from '../../contract/index.ts';
import { nowIso } from '../clock.ts';
import type { MetadataStore } from '../stores/metadata-store.ts';
import type { FileRow } from '../stores/schema.ts';
import { searchTextOf } from './file-service.ts';
import { newId } from './folder-service.ts';
import { extensionOf } from './media-types.ts';
import { newNode, type NodePlace } from './tree-nodes.ts';

// What a new file's row is made of, in one place for every way a file is made (upload, resumable upload,
// import from URL), and the one way a PENDING file is marked FAILED (a failed import, failed processing).

/** Blob key of a file's original bytes. */
export function originalKey(fileId: string): string {
  return `originals/${fileId.slice(0, 2)}/${fileId}`;
}

/** A file id: random hex, with the original's extension so URLs show what they are. */
export function newFileId(fileName: string): string {
  const ext = extensionOf(fileName)
    .replace(/[^a-z0-9]/g, '')
    .slice(0, 10);
  return ext ? `${newId()}.${ext}` : newId();
}

/**
 * The `media` object stored at ingest. Dimensions, colours and renditions are filled in by processing; until
 * then each type carries what is known from the upload itself.
 */
export function initialMedia(
  mediaType: MediaType,
  fileId: string,
  fileName: string,
  size: number,
): FileMedia {
  const file = { id: fileId, url: '', filename: fileName, sizeInBytes: String(size) };
  switch (mediaType) {
    case 'IMAGE':
    case 'VECTOR': {
      const image = {
        image: { id: fileId, url: '', width: 0, height: 0, filename: fileName, altText: null },
        colors: null,
        faces: [],
        previewImage: null,
      };
      return mediaType === 'IMAGE' ? { image } : { vector: image };
    }
    case 'VIDEO':
      return { video: { id: fileId, filename: fileName, resolutions: [] } };
    case 'AUDIO':
      return { audio: { id: fileId, assets: [] } };
    case 'DOCUMENT':
      return { document: file };
    case 'ARCHIVE':
      return { archive: file };
    case 'MODEL3D':
      return { model3d: file };
    default:
      return {};
  }
}

/** What a new file is: everything its row holds that is not derived from something else. */
export interface NewFile {
  id: string;
  fileName: string;
  parent: NodePlace;
  mimeType: string;
  mediaType: MediaType;
  labels: readonly string[];
  private: boolean;
  /** Already JSON (or null): callers keep their own rule for what "no external info" is. */
  externalInfo: string | null;
  /** 0 and '' for an import whose bytes are not fetched yet. */
  size: number;
  hash: string;
  operationStatus: 'PENDING' | 'READY';
  sourceUrl: string | null;
  /** Where its bytes are (or will be): `originalKey(id)` unless given. */
  blobKey?: string;
}

/** The row of a new, live file. */
export function newFileRow(file: NewFile): FileRow {
  const { id, fileName, mimeType, mediaType, size } = file;
  return {
    ...newNode(id, fileName, file.parent, nowIso()),
    search_text: searchTextOf(fileName, mimeType, file.labels),
    mime_type: mimeType,
    media_type: mediaType,
    size_in_bytes: size,
    hash: file.hash,
    private: file.private ? 1 : 0,
    labels: JSON.stringify(file.labels),
    operation_status: file.operationStatus,
    failure_reason: null,
    source_url: file.sourceUrl,
    media: JSON.stringify(initialMedia(mediaType, id, fileName, size)),
    external_info: file.externalInfo,
    blob_key: file.blobKey ?? originalKey(id),
    assets: '{}',
  };
}

/**
 * Marks a file that is still PENDING as FAILED with a reason its owner sees (a file done or purged meanwhile
 * is left alone). `touch` sets `updated_date`: an import's fetch is a change of the file (its success sets it
 * too), processing is not (renditions arriving or failing do not reorder listings sorted by date).
 */
export async function failPending(
  metadata: MetadataStore,
  fileId: string,
  reason: string,
  touch: boolean,
): Promise<void> {
  await metadata.transaction(async (store) => {
    const row = await store.files.getFile(fileId);
    if (!row || row.operation_status !== 'PENDING') return;
    await store.files.updateFile(fileId, {
      operation_status: 'FAILED',
      failure_reason: reason,
      ...(touch && { updated_date: nowIso() }),
    });
  });
}
