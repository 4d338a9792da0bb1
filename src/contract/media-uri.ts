/**
 * "Wherever a file id is accepted, a Wix media URI is accepted too (`wix:image://v1/<id>/<name>#originWidth=..`,
 * also `wix:video://`, `wix:document://`, `wix:audio://`): the id is the first path segment after `v1/`."
 */
const MEDIA_URI = /^wix:(?:image|video|document|audio|vector):\/\/v1\/([^/#?]+)/;

/** Returns the file id named by an id or a Wix media URI. */
export function fileIdFromIdOrUri(idOrUri: string): string {
  const match = MEDIA_URI.exec(idOrUri);
  if (!match?.[1]) return idOrUri;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return match[1];
  }
}

export function mediaUri(
  kind: 'image' | 'video' | 'document' | 'audio',
  id: string,
  filename: string,
): string {
  return `wix:${kind}://v1/${id}/${encodeURIComponent(filename)}`;
}
