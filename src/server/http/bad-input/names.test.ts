import { describe } from 'vitest';
import { itRefusesEach, useBadInputApp } from '../../testing/bad-input.ts';
import { nameCases } from './name-cases.ts';

// Bad folder and file names (create, rename, upload) and bad labels.

describe('bad input never changes anything and always answers a contract-shaped 4xx', () => {
  const ctx = useBadInputApp();

  itRefusesEach(ctx, nameCases);
});
