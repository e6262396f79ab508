import { describe, expect, it } from 'vitest';
import { freeUnit } from '../../src/core/policies/bind-policy.js';

describe('freeUnit: the unit an offer option binds next', () => {
  it('is the lowest of 0 to quantity − 1 no policy holds', () => {
    expect(freeUnit([], 1)).toBe(0);
    expect(freeUnit([0], 3)).toBe(1);
    expect(freeUnit([0, 2], 3)).toBe(1);
    // A voided policy gave its unit back: the gap is taken first.
    expect(freeUnit([1, 2], 3)).toBe(0);
  });

  it('is none once every unit is held, also where more were bound before units were counted', () => {
    expect(freeUnit([0], 1)).toBeUndefined();
    expect(freeUnit([0, 1, 2], 3)).toBeUndefined();
    expect(freeUnit([0, 1, 2, 3], 2)).toBeUndefined();
    expect(freeUnit([], 0)).toBeUndefined();
  });
});
