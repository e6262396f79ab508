import type { Mode } from '../partners/partner.js';

type InstalmentStatus = 'unpaid' | 'paid' | 'failed';

/**
 * One part of a policy's premium, due for the period [periodStart, periodEnd). A failed payment leaves
 * it owed: only `paid` settles it.
 */
export interface Instalment {
  id: string;
  partnerId: string;
  mode: Mode;
  policyId: string;
  /** 1-based, in period order. */
  number: number;
  periodStart: Date;
  periodEnd: Date;
  /** Including tax; amount = net + tax. */
  amount: number;
  net: number;
  tax: number;
  currency: string;
  status: InstalmentStatus;
  paidAt: Date | null;
  paymentAttemptedAt: Date | null;
  /**
   * When cover lapses if this instalment is still unpaid: the period start plus the product's grace,
   * fixed when the schedule is written so a later change of the product does not move it.
   */
  lapseAt: Date;
  createdAt: Date;
  updatedAt: Date;
}

/** What the customer has paid of a schedule so far: its paid instalments. */
export function paidSoFar(instalments: readonly Instalment[]): number {
  return instalments.filter((i) => i.status === 'paid').reduce((sum, i) => sum + i.amount, 0);
}
