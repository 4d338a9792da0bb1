import { describe, expect, it } from 'vitest';
import { ownerSentence } from './owner-messages';

describe('ownerSentence', () => {
  it('drops API field names and turns known texts into sentences about the files', () => {
    expect(
      ownerSentence(
        'folderId: holds more than 1000 files (counting its sub-folders); a zip holds at most 1000',
      ),
    ).toBe(
      'This folder holds more than 1000 files (counting its sub-folders), too many for one zip. Download its sub-folders one at a time.',
    );
    expect(ownerSentence('importFileRequests[0].url: Refused: 10.0.0.1 is not a public address')).toBe(
      '10.0.0.1 is on a private network, so the server will not import from it.',
    );
    expect(ownerSentence('importFileRequests[12].url: must be an absolute http or https URL')).toBe(
      'Enter a full web address starting with http:// or https://.',
    );
  });

  it('keeps other texts, without the field, as a sentence', () => {
    expect(ownerSentence('paging.limit: must be at most 100')).toBe('Must be at most 100.');
    expect(ownerSentence('Folder not found: abc')).toBe('Folder not found: abc');
    expect(ownerSentence('Already a sentence.')).toBe('Already a sentence.');
  });
});
