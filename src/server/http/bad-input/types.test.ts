import { describe } from 'vitest';
import { itRefusesEach, useBadInputApp } from '../../testing/bad-input.ts';
import { typeCases } from './type-cases.ts';

// Fields of the wrong type, missing or empty, endpoint by endpoint.

describe('bad input never changes anything and always answers a contract-shaped 4xx', () => {
  const ctx = useBadInputApp();

  itRefusesEach(ctx, typeCases);
});
