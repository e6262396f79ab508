import { describe, expect, it } from 'vitest';
import { isQuoteValid, QUOTE_VALIDITY_MS, quoteExpiry } from '../../src/core/quote-validity.js';

describe('quote validity: one rule for every price shown', () => {
  const pricedAt = new Date('2026-03-02T10:00:00Z');

  it('a price holds 24 hours from when it was given', () => {
    expect(QUOTE_VALIDITY_MS).toBe(24 * 3_600_000);
    expect(quoteExpiry(pricedAt).toISOString()).toBe('2026-03-03T10:00:00.000Z');
  });

  it('can be bound up to the last millisecond before it expires, not at that instant', () => {
    const expiresAt = quoteExpiry(pricedAt);
    expect(isQuoteValid(expiresAt, pricedAt)).toBe(true);
    expect(isQuoteValid(expiresAt, new Date(expiresAt.getTime() - 1))).toBe(true);
    expect(isQuoteValid(expiresAt, expiresAt)).toBe(false);
    expect(isQuoteValid(expiresAt, new Date(expiresAt.getTime() + 1))).toBe(false);
  });
});
