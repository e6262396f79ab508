import type { Mode } from '../partners/partner.js';
import { endsEarly } from '../policies/policy.js';
import type { Premium } from '../pricing/premium.js';
import type { StatementPeriod } from './period.js';
import { adjustmentShare, type PolicyShare, refundedShare, writtenShare } from './policy-share.js';
import type { CurrencyStatement, Statement } from './statement.js';
import type { StatementEvent } from './statement-event.js';

interface Sums {
  policiesWritten: number;
  written: number;
  refunded: number;
  commissionWritten: number;
  commissionRefunded: number;
  taxes: Map<string, { written: number; refunded: number }>;
}

/**
 * The statement of a period from its policy events, and nothing else: the same events always give the
 * same figures. A premium counts in the month of its policy's `bound` event (a quote is not a sale);
 * what goes back counts in the month of the `cancelled`, `voided` or `lapsed` event, whenever the policy
 * was bound. Every figure is a sum of integers, so no rounding happens here beyond each policy's own.
 */
export function deriveStatement(input: StatementHeader & { events: Iterable<StatementEvent> }): Statement {
  const tally = statementTally(input.period);
  tally.add(input.events);
  return tally.statement(input);
}

interface StatementHeader {
  partnerId: string;
  mode: Mode;
  period: StatementPeriod;
  generatedAt: Date;
}

/**
 * `deriveStatement` a batch at a time: sums are all a statement keeps, so a month of any size is
 * derived in the memory of one batch, in any order of batches.
 */
export function statementTally(period: StatementPeriod): {
  add(events: Iterable<StatementEvent>): void;
  statement(header: StatementHeader): Statement;
} {
  const byCurrency = new Map<string, Sums>();
  const sumsOf = (currency: string): Sums => {
    let sums = byCurrency.get(currency);
    if (!sums) {
      sums = {
        policiesWritten: 0,
        written: 0,
        refunded: 0,
        commissionWritten: 0,
        commissionRefunded: 0,
        taxes: new Map(),
      };
      byCurrency.set(currency, sums);
    }
    return sums;
  };
  const addOne = (item: StatementEvent): void => {
    const at = item.event.occurredAt.getTime();
    if (at < period.start.getTime() || at >= period.end.getTime()) return;
    if (item.event.type === 'bound') {
      const sums = sumsOf(item.premium.currency);
      sums.policiesWritten += 1;
      add(sums, writtenShare(item.premium, item.commissionBp), 'written');
    } else if (endsEarly(item.event.type)) {
      const amount = givenBack(item);
      if (amount === undefined) return;
      add(sumsOf(item.premium.currency), refundedShare(item.premium, amount, item.commissionBp), 'refunded');
    } else if (item.event.type === 'modified') {
      // A repricing is an adjustment: a dearer premium writes the difference, a cheaper one gives it back.
      const adjustment = modificationAdjustment(item);
      if (adjustment) add(sumsOf(item.premium.currency), adjustment.share, adjustment.side);
    }
  };
  return {
    add(events) {
      for (const item of events) addOne(item);
    },
    statement(header) {
      const currencies = [...byCurrency.entries()]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([currency, sums]) => currencyStatement(currency, sums));
      return {
        partnerId: header.partnerId,
        mode: header.mode,
        period,
        generatedAt: header.generatedAt,
        closed: header.generatedAt.getTime() >= period.end.getTime(),
        currencies,
      };
    },
  };
}

/**
 * What an ended policy gives back to the statement, or undefined when it never counted.
 *
 * A cancellation gives back its refund (event data `refund`, as the product's rules computed it). So does
 * a void of a paid policy (everything: cover never began). A void of a policy bound but never paid
 * (voided from `pending_payment`) records a refund of 0, since the customer paid nothing, yet the
 * premium its binding wrote must still come off in full, or the partner would owe premium nobody
 * collected. A void of a policy that was only quoted gives back nothing, as nothing was written.
 *
 * A lapse (cover ended for an unpaid instalment) refunds the customer nothing, but its binding wrote the
 * whole premium while only the paid instalments were collected: the instalments never paid (event data
 * `uncollected`) come off, as for a void of an unpaid policy, so the partner owes only what came in.
 */
function givenBack(item: StatementEvent): number | undefined {
  const { event, premium } = item;
  if (event.type === 'voided' && (event.fromStatus === 'quoted' || event.fromStatus === null))
    return undefined;
  if (event.type === 'voided' && event.fromStatus === 'pending_payment') return premium.total;
  if (event.type === 'lapsed') return moneyIn(item, 'uncollected');
  // A policy paid by instalments and ended early: what was refunded, and what will never be collected.
  const uncollected = event.data.uncollected === undefined ? 0 : moneyIn(item, 'uncollected');
  return moneyIn(item, 'refund') + uncollected;
}

function moneyIn(item: StatementEvent, key: 'refund' | 'uncollected'): number {
  const { event, premium } = item;
  const money = event.data[key] as { amount?: unknown; currency?: unknown } | undefined;
  if (!money || !Number.isSafeInteger(money.amount) || money.currency !== premium.currency) {
    // The history is written by the core alone; a malformed amount is corruption, not something to guess at.
    throw new Error(`policy event ${event.id} (${event.type}) has no valid ${key} in ${premium.currency}`);
  }
  return money.amount as number;
}

/** The premium before and after a `modified` event (its data), as a written or given-back difference. */
function modificationAdjustment(item: StatementEvent): ReturnType<typeof adjustmentShare> {
  const { event } = item;
  const before = event.data.previousPremium as Premium | undefined;
  const after = event.data.premium as Premium | undefined;
  if (!isPremium(before) || !isPremium(after) || before.currency !== after.currency) {
    throw new Error(`policy event ${event.id} (modified) has no valid previousPremium and premium`);
  }
  return adjustmentShare(before, after, item.commissionBp);
}

function isPremium(p: Premium | undefined): p is Premium {
  return (
    p !== undefined &&
    Number.isSafeInteger(p.total) &&
    Number.isSafeInteger(p.net) &&
    typeof p.currency === 'string' &&
    Array.isArray(p.taxes)
  );
}

function add(sums: Sums, share: PolicyShare, side: 'written' | 'refunded'): void {
  if (side === 'written') {
    sums.written += share.gross;
    sums.commissionWritten += share.commission;
  } else {
    sums.refunded += share.gross;
    sums.commissionRefunded += share.commission;
  }
  for (const tax of share.taxes) {
    const total = sums.taxes.get(tax.name) ?? { written: 0, refunded: 0 };
    total[side] += tax.amount;
    sums.taxes.set(tax.name, total);
  }
}

function currencyStatement(currency: string, sums: Sums): CurrencyStatement {
  const net = sums.written - sums.refunded;
  const commission = sums.commissionWritten - sums.commissionRefunded;
  return {
    currency,
    policiesWritten: sums.policiesWritten,
    premiumsWritten: sums.written,
    refunds: sums.refunded,
    net,
    taxes: [...sums.taxes.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, t]) => ({ name, written: t.written, refunded: t.refunded, net: t.written - t.refunded })),
    commission,
    netDueToInsurer: net - commission,
  };
}
