import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { mediaTypeOf } from '../src/server/services/media-types.ts';
import { DEFAULT_SHAPE, KINDS, type LibraryShape } from './library-seed.ts';

/**
 * The library of library-seed.ts seeded into a migrated PostgreSQL schema (app closed), for
 * `bench/storage-page.ts --database-url`: the same shape (folder tree, media types and sizes, Visitor Uploads,
 * files trashed on their own, duplicates) drawn in SQL, one `INSERT ... SELECT` over `generate_series`, with
 * md5 of the row number as the random numbers. As on SQLite the indexes of `files` are dropped and built
 * again after the rows, and the Storage triggers are off while the rows go in: the caller recomputes the
 * aggregates (`StorageStore.recompute`, the migration's backfill).
 */
export async function seedLibraryPostgres(
  url: string,
  shape: LibraryShape = DEFAULT_SHAPE,
): Promise<{ seconds: number }> {
  const started = performance.now();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const NOW = "timestamptz '2025-06-01T12:00:00Z'";
    const iso = (ts: string) => `to_char((${ts}) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
    await client.query(`insert into folders (id, parent_folder_id, location_id, root, scope, state, trash_batch,
        display_name, sort_name, created_date, updated_date)
      select id, parent, parent, root, root, 'OK', null, name, lower(name),
        ${iso(`${NOW} - interval '365 days'`)}, ${iso(`${NOW} - interval '365 days'`)}
      from (
        select 'bench-top-' || t as id, 'media-root' as parent, 'MEDIA_ROOT' as root, 'Collection ' || t as name
          from generate_series(0, ${shape.topFolders - 1}) t
        union all
        select 'bench-sub-' || t || '-' || s, 'bench-top-' || t, 'MEDIA_ROOT', 'Album ' || t || '.' || s
          from generate_series(0, ${shape.topFolders - 1}) t, generate_series(0, ${shape.subfoldersEach - 1}) s
        union all
        select 'bench-visitor-' || v, 'visitor-uploads', 'VISITOR_UPLOADS_ROOT', 'Submissions ' || v
          from generate_series(0, ${shape.visitorFolders - 1}) v
      ) f`);

    const indexes = await client.query<{ name: string; def: string }>(
      `select i.indexname as name, i.indexdef as def from pg_indexes i
       where i.schemaname = current_schema() and i.tablename = 'files'
         and not exists (select 1 from pg_constraint c where c.conname = i.indexname)`,
    );
    for (const i of indexes.rows) await client.query(`drop index ${i.name}`);
    await client.query('alter table files disable trigger user');

    // Cumulative weights of the kinds: a row's kind is the one its random number falls in.
    const total = KINDS.reduce((s, k) => s + k.weight, 0);
    let lo = 0;
    const kinds = KINDS.map((k) => {
      const row = `(${lo / total}, ${(lo + k.weight) / total}, '${k.mime}', '${k.ext}', '${mediaTypeOf(k.mime, `x.${k.ext}`)}', ${k.size[0]}, ${k.size[1]})`;
      lo += k.weight;
      return row;
    });
    const rand = (salt: string, n: string) =>
      `(('x' || substr(md5('${salt}' || ${n}), 1, 8))::bit(32)::bigint / 4294967296.0)`;
    const rowsStarted = performance.now();
    await client.query(`
      with kinds (lo, hi, mime, ext, media_type, smin, smax) as (values ${kinds.join(', ')}),
      g as (
        select n, case when n > 0 and ${rand('d', 'n')} < ${shape.duplicates}
          then floor(${rand('o', 'n')} * n)::bigint else n end as c
        from generate_series(0, ${shape.files - 1}) n
      ),
      r as (
        select g.n, g.c, k.*,
          round(exp(ln(k.smin) + ${rand('s', 'g.c')} * ln(k.smax::float8 / k.smin)))::bigint as size,
          ${rand('p', 'g.n')} as place, ${rand('v', 'g.n')} as rv, ${rand('t', 'g.n')} as rt,
          ${rand('c', 'g.n')} as rc, ${rand('u', 'g.n')} as ru
        from g join kinds k on ${rand('k', 'g.c')} >= k.lo and ${rand('k', 'g.c')} < k.hi
      ),
      p as (
        select r.*,
          lpad(to_hex(n), 8, '0') || lpad(to_hex((n * 2654435761) % 4294967296), 8, '0') || '.' || ext as id,
          case when c <> n then 'copy-' else '' end || 'file-' || n || '.' || ext as name,
          case when place < ${shape.atRoot} then 'media-root'
            when place < ${shape.atRoot + shape.visitor} then
              case when rv < 0.2 then 'visitor-uploads'
                else 'bench-visitor-' || floor(rv * 1000)::int % ${shape.visitorFolders} end
            else case when floor(rv * ${shape.subfoldersEach + 1})::int = 0
              then 'bench-top-' || floor(place * 100000)::int % ${shape.topFolders}
              else 'bench-sub-' || floor(place * 100000)::int % ${shape.topFolders} || '-'
                || (floor(rv * ${shape.subfoldersEach + 1})::int - 1) end
          end as parent,
          case when place >= ${shape.atRoot} and place < ${shape.atRoot + shape.visitor}
            then 'VISITOR_UPLOADS_ROOT' else 'MEDIA_ROOT' end as root,
          rt < ${shape.trashed} as trashed,
          ${NOW} - rc * interval '365 days' as created
        from r
      )
      insert into files (id, display_name, sort_name, search_text, parent_folder_id, location_id, root, scope,
        state, trash_batch, mime_type, media_type, size_in_bytes, hash, private, labels, operation_status,
        failure_reason, source_url, media, external_info, blob_key, created_date, updated_date)
      select id, name, lower(name), lower(name || E'\\n' || mime), parent,
        case when trashed then 'trash-root' else parent end, root,
        case when trashed then 'TRASH_ROOT' else root end, case when trashed then 'DELETED' else 'OK' end,
        case when trashed then id end, mime, media_type, size, md5('h' || c) || md5('i' || c), 0, '[]',
        'READY', null, null,
        json_build_object('document', json_build_object('id', id, 'url', '', 'filename', name,
          'sizeInBytes', size::text))::text,
        null, 'originals/' || substr(id, 1, 2) || '/' || id, ${iso('created')},
        ${iso(`case when trashed then created + ru * (${NOW} - created) else created end`)}
      from p`);
    console.error(`  rows in ${((performance.now() - rowsStarted) / 1000).toFixed(1)} s`);
    const indexStarted = performance.now();
    for (const i of indexes.rows) await client.query(i.def);
    await client.query('alter table files enable trigger user');
    console.error(`  indexes built in ${((performance.now() - indexStarted) / 1000).toFixed(1)} s`);
    await client.query(`update site_usage set bytes = bytes + (select sum(size_in_bytes) from files)`);
    await client.query('analyze');
  } finally {
    await client.end();
  }
  return { seconds: (performance.now() - started) / 1000 };
}
