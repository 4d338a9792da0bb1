import { describe, expect, it } from 'vitest';
import { bodyCases } from './bodies-cases.ts';
import { moveCases } from './move-cases.ts';
import { nameCases } from './name-cases.ts';
import { notFoundCases } from './not-found-cases.ts';
import { pagingCases } from './paging-cases.ts';
import { typeCases } from './type-cases.ts';
import { valueCases } from './value-cases.ts';

// The bad-input table as a whole (its parts run in the other files of this folder): large, and every case named
// once, so a failure names one request.

const cases = [
  ...bodyCases,
  ...typeCases,
  ...valueCases,
  ...nameCases,
  ...pagingCases,
  ...notFoundCases,
  ...moveCases,
];

describe('bad input never changes anything and always answers a contract-shaped 4xx', () => {
  it('has a sensible table', () => {
    expect(cases.length).toBeGreaterThan(300);
    expect(new Set(cases.map(([name]) => name)).size).toBe(cases.length);
  });
});
