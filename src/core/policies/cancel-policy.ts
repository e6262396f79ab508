import { CoreError } from '../errors.js';
import { paidSoFar } from '../instalments/instalment.js';
import type { Tenant } from '../partners/partner.js';
import type { CoreDeps } from '../ports.js';
import { requirePolicy, requireProduct } from './lookups.js';
import type { Policy } from './policy.js';
import { quoteRefund, type RefundQuote } from './refund.js';
import { TERMINAL_STATUSES } from './state-machine.js';
import { transition } from './transition.js';

export interface CancelInput {
  policyId: string;
  /** Show the refund and change nothing. */
  preview?: boolean;
  reason?: string;
}

export interface CancelResult {
  policy: Policy;
  /** What was (or, in a preview, would be) refunded; a voided policy had nothing to refund. */
  quote: RefundQuote;
  outcome: 'cancelled' | 'voided';
  preview: boolean;
}

/** Cancels a started or scheduled policy with the product's refund; voids one not yet paid for or bound. */
export async function cancelPolicy(
  deps: CoreDeps,
  tenant: Tenant,
  input: CancelInput,
): Promise<CancelResult> {
  const policy = await requirePolicy(deps, tenant, input.policyId, !input.preview);
  return endPolicy(deps, policy, { preview: input.preview ?? false, reason: input.reason ?? 'requested' });
}

/** What a policy paid by instalments has collected so far; undefined for one paid at once. */
async function collectedByInstalments(deps: CoreDeps, policy: Policy): Promise<number | undefined> {
  const tenant = { partnerId: policy.partnerId, mode: policy.mode };
  const instalments = await deps.repos.instalments.list(tenant, policy.id);
  if (instalments.length === 0) return undefined;
  return paidSoFar(instalments);
}

/**
 * The refund rule keeps `total − refund` of the whole premium as earned; a customer paying by
 * instalments gets back what they paid beyond that, never more than they paid.
 */
function instalmentRefund(policy: Policy, quote: RefundQuote, collected: number): number {
  const earned = policy.premium.total - quote.refund.amount;
  return Math.max(0, collected - earned);
}

/** What ending a policy gives back, and whether it is cancelled or voided. */
export interface PricedEnd {
  quote: RefundQuote;
  outcome: 'cancelled' | 'voided';
  /** What instalments had collected; undefined for a policy paid at once. */
  collected: number | undefined;
}

/**
 * Prices ending `policy` at `at`: the product's refund, nothing for a policy not paid for (voided), and
 * for one paid by instalments what was paid beyond the premium earned.
 */
export async function priceEnd(
  deps: CoreDeps,
  policy: Policy,
  at: Date,
  opts: { voidIfNotStarted?: boolean } = {},
): Promise<PricedEnd> {
  if (TERMINAL_STATUSES.includes(policy.status)) {
    throw new CoreError('invalid_transition', `the policy is already ${policy.status}`, [
      { field: 'policyId', message: `a ${policy.status} policy cannot be cancelled` },
    ]);
  }
  const product = await requireProduct(deps, policy);
  const unpaid = policy.status === 'quoted' || policy.status === 'pending_payment';
  const notStarted = policy.coverageStart === null || policy.coverageStart.getTime() > at.getTime();
  const voids = unpaid || (opts.voidIfNotStarted === true && notStarted);
  const refund = quoteRefund(policy, product, at);
  const collected = await collectedByInstalments(deps, policy);
  // Nothing was paid for a policy still quoted or awaiting payment, so nothing goes back.
  const currency = policy.premium.currency;
  const quote: RefundQuote = unpaid
    ? {
        ...refund,
        refund: { ...refund.refund, amount: 0 },
        rule: 'unpaid',
        collected: { amount: 0, currency },
      }
    : collected === undefined
      ? { ...refund, collected: { amount: policy.premium.total, currency } }
      : {
          ...refund,
          refund: { ...refund.refund, amount: instalmentRefund(policy, refund, collected) },
          collected: { amount: collected, currency },
        };
  return { quote, outcome: voids ? 'voided' : 'cancelled', collected };
}

/** Ends the policy as priced: cancelled with its refund, or voided. */
export async function applyEnd(deps: CoreDeps, policy: Policy, priced: PricedEnd, reason: string) {
  const { quote, collected } = priced;
  const unpaid = quote.rule === 'unpaid';
  const data = {
    reason,
    refund: quote.refund,
    rule: quote.rule,
    // Instalments not collected are owed no more; the partner's statement takes them back.
    ...(collected === undefined || unpaid
      ? {}
      : { uncollected: { amount: policy.premium.total - collected, currency: policy.premium.currency } }),
  };
  return priced.outcome === 'voided'
    ? await transition(deps, policy, 'void', 'voided', 'voided', { refund: quote.refund }, data)
    : await transition(deps, policy, 'cancel', 'cancelled', 'cancelled', { refund: quote.refund }, data);
}

/** Shared by cancellation requests, refunded order lines and cancelled orders. */
export async function endPolicy(
  deps: CoreDeps,
  policy: Policy,
  opts: { preview: boolean; reason: string; voidIfNotStarted?: boolean },
): Promise<CancelResult> {
  const priced = await priceEnd(deps, policy, deps.clock.now(), opts);
  const { quote, outcome } = priced;
  if (opts.preview) return { policy, quote, outcome, preview: true };
  return { policy: await applyEnd(deps, policy, priced, opts.reason), quote, outcome, preview: false };
}
