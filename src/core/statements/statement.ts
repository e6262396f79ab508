import type { Mode } from '../partners/partner.js';
import type { StatementPeriod } from './period.js';

/** One tax across a currency's policies: written at binding, refunded at the end, and what is left. */
interface TaxTotal {
  name: string;
  written: number;
  refunded: number;
  net: number;
}

/** A partner's figures in one currency for the period, in minor units. */
export interface CurrencyStatement {
  currency: string;
  /** Policies bound in the period. */
  policiesWritten: number;
  /** Premium (tax included) of the policies bound in the period. */
  premiumsWritten: number;
  /** Premium given back by cancellations and voids in the period, whenever the policy was bound. */
  refunds: number;
  /** premiumsWritten − refunds. */
  net: number;
  taxes: TaxTotal[];
  /** The partner's commission on the net premium (tax excluded) written, less that on the net refunded. */
  commission: number;
  /** net − commission: what the partner owes the insurer for the period. */
  netDueToInsurer: number;
}

/** What a partner owes for a calendar month in one mode, derived from the policy event history. */
export interface Statement {
  partnerId: string;
  mode: Mode;
  period: StatementPeriod;
  generatedAt: Date;
  /**
   * The month is over: no event can fall in it any more, so generating it again gives the same
   * figures. An open month still grows.
   */
  closed: boolean;
  /** One entry per currency that had any activity, sorted by currency code. */
  currencies: CurrencyStatement[];
}
