import { afterEach, describe, expect, it } from 'vitest';
import { MetadataStore } from './metadata-store.ts';
import type { FileRow } from './schema.ts';
import { openSqlite } from './sqlite.ts';

const stores: MetadataStore[] = [];
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
});

async function storeWith(names: string[], trigramCandidatesMax: number): Promise<MetadataStore> {
  const store = new MetadataStore(openSqlite(':memory:'), trigramCandidatesMax);
  stores.push(store);
  await store.migrate();
  for (const [i, name] of names.entries()) {
    const row: FileRow = {
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
    };
    await store.insertFile(row);
  }
  return store;
}

const search = (store: MetadataStore, text: string, limit = 100) =>
  store
    .listFiles({
      filter: { scope: 'MEDIA_ROOT', search: text },
      column: 'sort_name',
      order: 'ASC',
      after: null,
      limit,
    })
    .then((rows) => rows.map((r) => r.display_name));

describe('substring search plans', () => {
  const names = ['cat-1.png', 'Cat-2.png', 'dog.png', 'catalog.png', 'bobcat.png', 'zebra.png', 'a%b_c.png'];

  it('finds the same rows whether it walks the sort index or uses the trigram index', async () => {
    const trigram = await storeWith(names, 1000);
    const walk = await storeWith(names, 0);
    for (const term of [
      'cat',
      'CAT'.toLowerCase(),
      'zebra',
      'png',
      'og.',
      'nothing-here',
      '%b_',
      'ca',
      'b',
    ]) {
      expect(await search(trigram, term), term).toEqual(await search(walk, term));
    }
    expect(await search(trigram, 'cat')).toEqual(['bobcat.png', 'cat-1.png', 'Cat-2.png', 'catalog.png']);
    expect(await search(trigram, 'nothing-here')).toEqual([]);
    // A page that the first rows of the sort order fill (the probe) is the same page.
    expect(await search(trigram, 'png', 2)).toEqual((await search(walk, 'png')).slice(0, 2));
  });

  it('keeps the trigram index in step with renames and deletes', async () => {
    const store = await storeWith(names, 1000);
    await store.updateFile('f0005', {
      display_name: 'horse.png',
      sort_name: 'horse.png',
      search_text: 'horse.png\nimage/png',
    });
    expect(await search(store, 'zebra')).toEqual([]);
    expect(await search(store, 'horse')).toEqual(['horse.png']);
    await store.purge(['f0005'], []);
    expect(await search(store, 'horse')).toEqual([]);
  });
});
