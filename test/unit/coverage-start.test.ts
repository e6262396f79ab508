import { describe, expect, it } from 'vitest';
import { DAY_MS } from '../../src/core/clock.js';
import { isCoreError } from '../../src/core/errors.js';
import { checkCoverageStart, START_WINDOW_MS } from '../../src/core/policies/coverage-start.js';
import { quoteExpiry } from '../../src/core/quote-validity.js';

const now = new Date('2026-03-02T10:00:00Z');
const days = (n: number) => new Date(now.getTime() + n * DAY_MS);
const refusal = (f: () => void) => {
  try {
    f();
  } catch (error) {
    if (isCoreError(error)) return error.fields.map((x) => x.field);
    throw error;
  }
  return undefined;
};

describe('the start of cover: one rule for binding and for every price shown', () => {
  it('binding takes a start up to a year back or ahead of now', () => {
    expect(START_WINDOW_MS).toBe(366 * DAY_MS);
    for (const n of [-366, -1, 0, 1, 366])
      expect(refusal(() => checkCoverageStart(days(n), now))).toBeUndefined();
    for (const n of [-367, 367, 400, -400]) {
      expect(refusal(() => checkCoverageStart(days(n), now))).toEqual(['coverageStart']);
    }
  });

  it('a price holds the start for as long as it can be bound: a start that would fall out of the window before the quote expires is refused now', () => {
    const until = quoteExpiry(now);
    // Within the window now, more than a year back by the time the quote expires.
    expect(refusal(() => checkCoverageStart(days(-365.5), now))).toBeUndefined();
    expect(refusal(() => checkCoverageStart(days(-365.5), now, until))).toEqual(['coverageStart']);
    // A year ahead now is less than a year ahead later: still bookable when the quote expires.
    expect(refusal(() => checkCoverageStart(days(366), now, until))).toBeUndefined();
    expect(
      refusal(() => checkCoverageStart(days(-365), now, until, 'request/0/policy_start_date')),
    ).toBeUndefined();
    expect(refusal(() => checkCoverageStart(days(400), now, until, 'start'))).toEqual(['start']);
  });
});
