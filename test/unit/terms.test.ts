import { describe, expect, it } from 'vitest';
import { termForEnd } from '../../src/core/catalog/terms.js';
import { coreErrorOf } from './fixtures.js';

describe('the term a client means by its end of cover', () => {
  const start = new Date('2022-10-03T10:36:48Z');
  const at = (iso: string) => new Date(iso);

  it("is the product's term whose end is within three days of it", () => {
    // The Omocom guide's own example: half a day short of a year.
    expect(termForEnd([12], start, at('2023-10-02T22:59:59Z'), 'end')).toBe(12);
    expect(termForEnd([12, 24], start, at('2024-10-05T10:36:48Z'), 'end')).toBe(24);
    expect(termForEnd([12, 24], start, at('2023-09-30T10:36:49Z'), 'end')).toBe(12);
    expect(termForEnd([24, 12], start, undefined, 'end')).toBe(24);
  });

  it('is refused, naming the field, when no term ends near it', () => {
    const error = coreErrorOf(() =>
      termForEnd([12, 24], start, at('2022-12-03T10:36:48Z'), 'insuranceEndDateTime'),
    );
    expect(error.fields.map((f) => f.field)).toEqual(['insuranceEndDateTime']);
    expect(error.message).toContain("must end one of the product's terms after the start (12, 24 months)");
    coreErrorOf(() => termForEnd([12], start, at('2023-09-30T10:36:47Z'), 'end'));
    coreErrorOf(() => termForEnd([12], start, at('2024-04-03T10:36:48Z'), 'end'));
  });
});
