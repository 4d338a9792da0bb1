import { describe, it } from 'vitest';
import { expectContractError, itRefusesEach, send, useBadInputApp } from '../../testing/bad-input.ts';
import { notFoundCases } from './not-found-cases.ts';

// Unknown ids and unknown routes answer 404 RESOURCE_NOT_FOUND; over-long ids the contract's error shape.

describe('bad input never changes anything and always answers a contract-shaped 4xx', () => {
  const ctx = useBadInputApp();

  itRefusesEach(ctx, notFoundCases);

  // Guards long path parameters: past Fastify's default maxParamLength, still the contract's error shape.
  it('an over-long (150-character) folder id in the path answers a contract-shaped 4xx', async () => {
    const response = await send(ctx.t, { method: 'GET', url: `/folders/${'x'.repeat(150)}` });
    expectContractError(response, {});
  });
});
