import type { PolicyChange } from '../../../core/policies/policy-change.js';
import { formatterFor } from './context.js';
import { type BookingAnswer, bookingJson, type QuoteView } from './wire.js';

/*
 * Updates and renewals are priced by one call and applied by another: the core keeps each quote's change
 * in a group under the id shown (`…-UPD`, `…-RNW`) until it is confirmed; these render the booking as
 * the changes would leave it.
 */

/** The booking as a pending change would leave it: the changed quotes at their new price and term. */
export function withChanges(
  a: BookingAnswer,
  changes: Map<string, PolicyChange>,
  f: ReturnType<typeof formatterFor>,
): QuoteView[] {
  return a.views.map((v) => {
    const change = changes.get(v.id);
    if (!change) return { ...v, extra: f.pair('price_diff', 0) };
    return {
      ...v,
      premium: change.premium,
      item: change.item,
      ...(change.kind === 'renewal'
        ? { start: change.coverageStart, end: change.coverageEnd, status: 'RECEIVED' as const }
        : {}),
      extra: f.pair('price_diff', change.kind === 'update' ? change.priceDiff : 0),
    };
  });
}

/** A booking after changes applied, each quote with its `price_diff` and the booking's total. */
export function withPriceDiffs(a: BookingAnswer, diffs: Map<string, number>) {
  const f = formatterFor(a.pkg);
  const views = a.views.map((v) => ({ ...v, extra: f.pair('price_diff', diffs.get(v.id) ?? 0) }));
  const total = [...diffs.values()].reduce((s, d) => s + d, 0);
  return answerWith(a, views, f.pair('total_price_diff', total));
}

export function answerWith(a: BookingAnswer, views: QuoteView[], extra: Record<string, unknown>) {
  const f = formatterFor(a.pkg);
  return bookingJson({ ...a, views }, f, extra);
}
