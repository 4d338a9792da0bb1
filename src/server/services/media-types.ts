import type { MediaType } from '../../contract/index.ts';

// A Map: the extension comes from a file name, and `x.constructor` must not find `Object.prototype.constructor`.
const BY_EXTENSION = new Map<string, MediaType>();
function add(type: MediaType, extensions: string) {
  for (const ext of extensions.split(' ')) BY_EXTENSION.set(ext, type);
}
add('IMAGE', 'jpg jpeg jpe png gif webp bmp tif tiff heic heif avif ico jfif');
add('VECTOR', 'svg svgz');
add('VIDEO', 'mp4 m4v mov webm mkv avi wmv mpg mpeg 3gp ogv flv mts m2ts');
add('AUDIO', 'mp3 wav ogg oga opus m4a aac flac wma aif aiff mid midi');
add('DOCUMENT', 'pdf doc docx xls xlsx ppt pptx odt ods odp rtf txt csv md epub pages numbers key');
add('ARCHIVE', 'zip rar 7z tar gz tgz bz2 xz zst');
add('MODEL3D', 'glb gltf obj fbx stl usdz 3ds dae ply');

const DOCUMENT_MIME =
  /^(application\/(pdf|msword|rtf|epub\+zip|vnd\.ms-|vnd\.openxmlformats-officedocument|vnd\.oasis\.opendocument)|text\/(plain|csv|markdown|rtf))/;
const ARCHIVE_MIME =
  /^application\/(zip|x-zip-compressed|x-rar-compressed|vnd\.rar|x-7z-compressed|gzip|x-gzip|x-tar|x-bzip2|x-xz|zstd)$/;

export function extensionOf(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  return dot > 0 ? fileName.slice(dot + 1).toLowerCase() : '';
}

/** The contract's mediaType, from the MIME type first and the file name's extension where the MIME is vague. */
export function mediaTypeOf(mimeType: string, fileName: string): MediaType {
  const mime = mimeType.toLowerCase().split(';')[0]?.trim() ?? '';
  if (mime === 'image/svg+xml') return 'VECTOR';
  if (mime.startsWith('model/')) return 'MODEL3D';
  if (mime.startsWith('image/')) return 'IMAGE';
  if (mime.startsWith('video/')) return 'VIDEO';
  if (mime.startsWith('audio/')) return 'AUDIO';
  if (DOCUMENT_MIME.test(mime)) return 'DOCUMENT';
  if (ARCHIVE_MIME.test(mime)) return 'ARCHIVE';
  return BY_EXTENSION.get(extensionOf(fileName)) ?? 'OTHER';
}
