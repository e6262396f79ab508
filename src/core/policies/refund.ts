import type { Product } from '../catalog/product.js';
import { addDays, DAY_MS } from '../clock.js';
import { divideRounded, type Money } from '../money.js';
import type { Policy } from './policy.js';

type RefundRule = 'unpaid' | 'not_started' | 'cooling_off' | 'pro_rata' | 'after_paid_claim' | 'no_refund';

export interface RefundQuote {
  refund: Money;
  rule: RefundRule;
  /** Last instant a cancellation gets everything back; null while the policy is not bound. */
  coolingOffEndsAt: Date | null;
  /** Whole days of cover left, for pro-rata refunds. */
  remainingDays: number;
  totalDays: number;
  /**
   * What the customer had paid for the policy when it was priced (nothing while unpaid, the paid
   * instalments of a plan, else the premium): what is kept is this less the refund. Absent on a
   * preview stored before it was recorded.
   */
  collected?: Money;
}

/** What ending the policy keeps of what was paid: the amount collected less the refund, never below 0. */
export function amountKept(quote: RefundQuote, premiumTotal: number): number {
  const collected = quote.collected?.amount ?? (quote.rule === 'unpaid' ? 0 : premiumTotal);
  return Math.max(0, collected - quote.refund.amount);
}

export function coolingOffEnd(policy: Policy, product: Product): Date | null {
  return policy.boundAt ? addDays(policy.boundAt, product.cancellation.coolingOffDays) : null;
}

/**
 * What cancelling at `at` gives back: everything before cover starts or inside the cooling-off window
 * (unless a claim was paid), then the unused whole days pro rata, or nothing, as the product says.
 */
export function quoteRefund(policy: Policy, product: Product, at: Date): RefundQuote {
  const total = policy.premium.total;
  const currency = policy.premium.currency;
  const coolingOffEndsAt = coolingOffEnd(policy, product);
  const start = policy.coverageStart;
  const end = policy.coverageEnd;
  const totalDays = start && end ? Math.round((end.getTime() - start.getTime()) / DAY_MS) : 0;
  const remainingDays =
    start && end
      ? Math.max(0, Math.floor((end.getTime() - Math.max(at.getTime(), start.getTime())) / DAY_MS))
      : 0;
  const quote = (amount: number, rule: RefundRule): RefundQuote => ({
    refund: { amount, currency },
    rule,
    coolingOffEndsAt,
    remainingDays,
    totalDays,
  });

  const proRata = () =>
    totalDays > 0 ? divideRounded(total * remainingDays, totalDays, product.rounding) : 0;
  if (policy.claimPaid) {
    return product.cancellation.afterPaidClaim === 'pro_rata'
      ? quote(proRata(), 'pro_rata')
      : quote(0, 'after_paid_claim');
  }
  if (start === null || start.getTime() > at.getTime()) return quote(total, 'not_started');
  if (coolingOffEndsAt && at.getTime() <= coolingOffEndsAt.getTime()) return quote(total, 'cooling_off');
  if (product.cancellation.afterCoolingOff === 'pro_rata') return quote(proRata(), 'pro_rata');
  return quote(0, 'no_refund');
}
