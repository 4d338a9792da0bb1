import { describe, expect, it } from 'vitest';
import {
  expectContractError,
  itRefusesEach,
  send,
  snapshot,
  useBadInputApp,
} from '../../testing/bad-input.ts';
import { bodyCases } from './bodies-cases.ts';

// Malformed, non-object, mistyped and oversized bodies on every endpoint that takes JSON.

describe('bad input never changes anything and always answers a contract-shaped 4xx', () => {
  const ctx = useBadInputApp();

  itRefusesEach(ctx, bodyCases);

  // Guards the query filter's nesting bound: deeply nested `$and` is refused, not a stack overflow (500).
  it('deeply nested $and in a query filter is a 4xx, not a crash', async () => {
    const depth = 50_000;
    const filter = `${'{"$and":['.repeat(depth)}{"private":false}${']}'.repeat(depth)}`;
    const raw = `{"query":{"filter":${filter}}}`;
    expect(raw.length).toBeLessThan(1024 * 1024);
    const response = await send(ctx.t, {
      method: 'POST',
      url: '/files/query',
      raw,
      headers: { 'content-type': 'application/json' },
    });
    expectContractError(response, {});
    expect(await snapshot(ctx.t)).toEqual(ctx.before);
  });
});
