import type { MediaType } from '../../contract';

export const MEDIA_TYPE_LABELS: Record<MediaType, string> = {
  IMAGE: 'Image',
  VIDEO: 'Video',
  AUDIO: 'Audio',
  DOCUMENT: 'Document',
  VECTOR: 'Vector',
  ARCHIVE: 'Archive',
  MODEL3D: '3D model',
  OTHER: 'File',
  UNKNOWN: 'File',
};
