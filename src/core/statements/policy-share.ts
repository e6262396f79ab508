import { divideRounded } from '../money.js';
import type { Premium } from '../pricing/premium.js';

/** One policy's part of a statement, written at binding or given back at its end: all positive. */
export interface PolicyShare {
  /** Premium including tax. */
  gross: number;
  taxes: { name: string; amount: number }[];
  /** Premium excluding tax: what commission is earned on. */
  net: number;
  commission: number;
}

/** Everything the policy's premium brings in, with the partner's commission at the rate it was bound at. */
export function writtenShare(premium: Premium, commissionBp: number): PolicyShare {
  return share(
    premium.total,
    premium.taxes.map((t) => ({ name: t.name, amount: t.amount })),
    commissionBp,
  );
}

/**
 * The part of a premium that `amount` gives back. Each tax goes back in proportion (tax × amount /
 * total), rounded half-even once per policy, so giving everything back returns exactly the tax that
 * was written, and so does the commission.
 */
export function refundedShare(premium: Premium, amount: number, commissionBp: number): PolicyShare {
  if (!Number.isSafeInteger(amount) || amount < 0 || amount > premium.total) {
    throw new RangeError(
      `a refund of ${amount} does not fit a premium of ${premium.total} ${premium.currency}`,
    );
  }
  const taxes = premium.taxes.map((t) => ({
    name: t.name,
    amount: premium.total === 0 ? 0 : divideRounded(t.amount * amount, premium.total, 'half_even'),
  }));
  return share(amount, taxes, commissionBp);
}

/** The partner's commission on a net premium: its rate in basis points, rounded half-even once. */
export function commissionOn(net: number, commissionBp: number): number {
  return divideRounded(net * commissionBp, 10_000, 'half_even');
}

function share(gross: number, taxes: PolicyShare['taxes'], commissionBp: number): PolicyShare {
  const net = gross - taxes.reduce((sum, t) => sum + t.amount, 0);
  return { gross, taxes, net, commission: commissionOn(net, commissionBp) };
}

/**
 * What repricing a policy from `before` to `after` changes on a statement: a dearer premium writes the
 * difference (gross, each tax, and the commission on the net), a cheaper one gives it back, all as
 * positive figures on that side; undefined when nothing changed. The commission is the difference of the
 * two premiums' commissions, so a policy's commission always sums to that of the premium it ends with.
 */
export function adjustmentShare(
  before: Premium,
  after: Premium,
  commissionBp: number,
): { side: 'written' | 'refunded'; share: PolicyShare } | undefined {
  const sign = after.total < before.total ? -1 : 1;
  const names = [...new Set([...before.taxes, ...after.taxes].map((t) => t.name))];
  const taxOf = (p: Premium, name: string) =>
    p.taxes.filter((t) => t.name === name).reduce((sum, t) => sum + t.amount, 0);
  const taxes = names
    .map((name) => ({ name, amount: sign * (taxOf(after, name) - taxOf(before, name)) }))
    .filter((t) => t.amount !== 0);
  const gross = sign * (after.total - before.total);
  if (gross === 0 && taxes.length === 0) return undefined;
  const commissionOf = (p: Premium) => commissionOn(p.net, commissionBp);
  return {
    side: sign < 0 ? 'refunded' : 'written',
    share: {
      gross,
      taxes,
      net: gross - taxes.reduce((sum, t) => sum + t.amount, 0),
      commission: sign * (commissionOf(after) - commissionOf(before)),
    },
  };
}
