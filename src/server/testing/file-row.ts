import type { FileRow } from '../stores/schema.ts';

/** A live PNG file row in Site Files for store tests; `overrides` sets anything else. */
export function fileRow(i: number, name: string, overrides: Partial<FileRow> = {}): FileRow {
  return {
    id: `f${String(i).padStart(4, '0')}`,
    display_name: name,
    sort_name: name.toLowerCase(),
    search_text: `${name.toLowerCase()}\nimage/png`,
    parent_folder_id: 'media-root',
    location_id: 'media-root',
    root: 'MEDIA_ROOT',
    scope: 'MEDIA_ROOT',
    state: 'OK',
    trash_batch: null,
    mime_type: 'image/png',
    media_type: 'IMAGE',
    size_in_bytes: i + 1,
    hash: 'h',
    private: 0,
    labels: '[]',
    operation_status: 'READY',
    failure_reason: null,
    source_url: null,
    media: '{}',
    external_info: null,
    blob_key: `originals/${i}`,
    assets: '{}',
    created_date: '2026-01-01T00:00:00.000Z',
    updated_date: `2026-01-01T00:00:${String(i % 60).padStart(2, '0')}.000Z`,
    ...overrides,
  };
}
