/**
 * How long a price Protego shows can be bound: an offer's options, a priced policy change (update,
 * renewal, cancellation preview), a dialect's quote. One rule, so no API promises a price longer or
 * shorter than another.
 */
export const QUOTE_VALIDITY_MS = 24 * 3_600_000;

/** When a price given at `pricedAt` stops being bindable. */
export function quoteExpiry(pricedAt: Date): Date {
  return new Date(pricedAt.getTime() + QUOTE_VALIDITY_MS);
}

/** Whether a price that expires at `expiresAt` can still be bound at `now`. */
export function isQuoteValid(expiresAt: Date, now: Date): boolean {
  return now.getTime() < expiresAt.getTime();
}
