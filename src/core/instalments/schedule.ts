import type { InstalmentPlan, Product } from '../catalog/product.js';
import { addMonths } from '../clock.js';
import { divideRounded } from '../money.js';
import type { Premium, TaxLine } from '../pricing/premium.js';

export interface PlannedInstalment {
  number: number;
  periodStart: Date;
  /** Exclusive: the next instalment's period starts here, the last one's is the end of cover. */
  periodEnd: Date;
  amount: number;
  net: number;
  tax: number;
}

export interface PlanQuote {
  name: string;
  label: string;
  count: number;
  /** The whole premium: paying in instalments costs no more. */
  amount: number;
  firstInstalmentAmount: number;
  instalmentAmount: number;
}

/** Whether a plan can pay for a term: the term must be whole periods. */
export function planFitsTerm(plan: InstalmentPlan, termMonths: number): boolean {
  return plan.periodMonths >= 1 && termMonths % plan.periodMonths === 0;
}

/**
 * The instalments that pay `premium` over a term. Net and tax are each split in equal whole shares,
 * rounded down, and the first instalment takes what is left over, so the instalments add up to the
 * premium exactly, no share is negative and no rounding mode is needed. Periods are calendar months
 * counted from the start of cover each time (not chained), so clamping at a month's end does not drift
 * (Jan 31, Feb 28, Mar 31).
 */
export function planInstalments(
  premium: Premium,
  plan: InstalmentPlan,
  coverageStart: Date,
  termMonths: number,
): PlannedInstalment[] {
  if (!planFitsTerm(plan, termMonths)) {
    throw new RangeError(`a ${plan.periodMonths}-month plan does not divide a ${termMonths}-month term`);
  }
  const count = termMonths / plan.periodMonths;
  const net = split(premium.net, count);
  const tax = split(premium.tax, count);
  return Array.from({ length: count }, (_, i) => {
    const n = net[i]!;
    const t = tax[i]!;
    return {
      number: i + 1,
      periodStart: addMonths(coverageStart, i * plan.periodMonths),
      periodEnd: addMonths(coverageStart, (i + 1) * plan.periodMonths),
      amount: n + t,
      net: n,
      tax: t,
    };
  });
}

/** The plans a term can be paid by, with what each instalment comes to. */
export function quotePlans(product: Product, premium: Premium, termMonths: number): PlanQuote[] {
  return (product.instalmentPlans ?? [])
    .filter((plan) => planFitsTerm(plan, termMonths))
    .map((plan) => {
      const count = termMonths / plan.periodMonths;
      const net = split(premium.net, count);
      const tax = split(premium.tax, count);
      return {
        name: plan.name,
        label: plan.label,
        count,
        amount: premium.total,
        firstInstalmentAmount: net[0]! + tax[0]!,
        instalmentAmount: count > 1 ? net[1]! + tax[1]! : net[0]! + tax[0]!,
      };
    });
}

/** `total` in `count` whole shares, the remainder on the first. */
export function split(total: number, count: number): number[] {
  const share = Math.floor(total / count);
  return Array.from({ length: count }, (_, i) => (i === 0 ? total - share * (count - 1) : share));
}

/**
 * An instalment's tax in the premium's tax lines, each its share by weight rounded half-even, the
 * remainder on the last line, so the lines always add up to the instalment's tax.
 */
export function instalmentTaxLines(lines: TaxLine[], tax: number): TaxLine[] {
  const whole = lines.reduce((s, l) => s + l.amount, 0);
  let left = tax;
  return lines.map((line, i) => {
    const amount = i === lines.length - 1 || whole === 0 ? left : divideRounded(tax * line.amount, whole);
    left -= amount;
    return { ...line, amount };
  });
}
