// The server's error texts name API fields ("folderId: holds more than 1000 files...") for developers. What the
// owner reads is a sentence about their files: the field path goes, known texts get the owner's words, and any
// other text at least reads as a sentence.

/** `folderId: `, `importFileRequests[0].url: `, `paging.limit: ` at the start of a server text. */
const FIELD_PREFIX = /^(?:[A-Za-z_$][\w$]*(?:\[\d+\])*)(?:\.[A-Za-z_$][\w$]*(?:\[\d+\])*)*:\s+/;

const REWRITES: [RegExp, (match: RegExpMatchArray) => string][] = [
  [
    /^holds more than (\d+) files/i,
    (m) =>
      `This folder holds more than ${m[1]} files (counting its sub-folders), too many for one zip. Download its sub-folders one at a time.`,
  ],
  [
    /^the selection holds more than (\d+) files/i,
    (m) =>
      `The selection holds more than ${m[1]} files (counting what is inside its folders), too many for one zip. Download fewer items at a time.`,
  ],
  [
    /^has more than (\d+) sub-folders/i,
    (m) =>
      `This folder has more than ${m[1]} sub-folders, too many for one zip. Download its sub-folders one at a time.`,
  ],
  [
    /^is nested too deeply to zip/i,
    () => 'Its folders are nested too deeply to fit in a zip. Download the deepest folders on their own.',
  ],
  [
    /^Refused: (?:connected to )?(.+?),? (?:which )?is not a public address/i,
    (m) => `${m[1]} is on a private network, so the server will not import from it.`,
  ],
  [/^Refused: (.+)/i, (m) => `The server will not import from this address: ${m[1]}`],
  [
    /^must be an absolute http or https URL/i,
    () => 'Enter a full web address starting with http:// or https://.',
  ],
  [
    /^every file named is private/i,
    () => 'Private files never go into zips. Download each private file on its own.',
  ],
  [
    /^the trash cannot be downloaded/i,
    () => 'Items in the trash cannot be downloaded as a zip. Restore them first.',
  ],
];

/**
 * One server text as a sentence for the site's owner. A text about an API field (it starts with the field's
 * path) loses the path and is made a sentence; other texts (already written as sentences, such as "Folder not
 * found: <id>") are kept as they are unless a rewrite knows them.
 */
export function ownerSentence(text: string): string {
  const trimmed = text.trim();
  const unprefixed = trimmed.replace(FIELD_PREFIX, '');
  for (const [pattern, rewrite] of REWRITES) {
    const match = unprefixed.match(pattern);
    if (match) return rewrite(match);
  }
  if (unprefixed === trimmed) return trimmed || 'That did not work.';
  if (unprefixed === '') return 'That did not work.';
  const sentence = unprefixed[0]!.toUpperCase() + unprefixed.slice(1);
  return /[.!?…)]$/.test(sentence) ? sentence : `${sentence}.`;
}
