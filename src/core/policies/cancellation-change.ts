import { CoreError, invalid, notFound } from '../errors.js';
import type { Tenant } from '../partners/partner.js';
import type { CoreDeps } from '../ports.js';
import { quoteExpiry } from '../quote-validity.js';
import { applyEnd, priceEnd } from './cancel-policy.js';
import { requirePolicy } from './lookups.js';
import type { Policy } from './policy.js';
import { changeStatus, type PolicyChange } from './policy-change.js';
import type { RefundQuote } from './refund.js';

export interface CancellationPreviewInput {
  /** One policy, or several cancelled together (the quotes of one XCover booking). */
  policyIds: string[];
  reason?: string;
  /**
   * The id the group is confirmed by, when the caller shows its own (XCover's `…-CCL`); it must not be
   * in use. Without it, the group is named by its first change's id.
   */
  groupId?: string;
}

export interface CancellationGroup {
  groupId: string;
  expiresAt: Date;
  /** One per policy, in the order asked. */
  changes: PolicyChange[];
}

/**
 * Prices the cancellation of one or more policies (the refund each would get now, as `cancelPolicy`'s
 * preview does) and keeps it pending until `quoteExpiry(now)`, to be confirmed by its group id. Nothing
 * on the policies changes. A policy named twice is priced once.
 */
export async function previewCancellation(
  deps: CoreDeps,
  tenant: Tenant,
  input: CancellationPreviewInput,
): Promise<CancellationGroup> {
  const policyIds = [...new Set(input.policyIds)];
  if (policyIds.length === 0) throw invalid('policyIds', 'at least one policy');
  if (
    input.groupId !== undefined &&
    (await deps.repos.policyChanges.group(tenant, input.groupId)).length > 0
  ) {
    throw new CoreError('already_exists', `change group ${input.groupId} exists`, [
      { field: 'groupId', message: 'already used' },
    ]);
  }
  const now = deps.clock.now();
  const expiresAt = quoteExpiry(now);
  const changes: PolicyChange[] = [];
  for (const policyId of policyIds) {
    const policy = await requirePolicy(deps, tenant, policyId, false);
    const { quote } = await priceEnd(deps, policy, now);
    const id = deps.ids.next('policyChange');
    const change: PolicyChange = {
      id,
      groupId: input.groupId ?? changes[0]?.groupId ?? id,
      partnerId: tenant.partnerId,
      mode: tenant.mode,
      policyId: policy.id,
      kind: 'cancellation',
      status: 'pending',
      item: policy.item,
      premium: policy.premium,
      previousPremium: policy.premium,
      priceDiff: -quote.refund.amount,
      termMonths: policy.termMonths,
      coverageStart: policy.coverageStart,
      coverageEnd: policy.coverageEnd,
      expiresAt,
      createdAt: now,
      confirmedAt: null,
      resultPolicyId: null,
      cancellation: { reason: input.reason ?? 'requested', quote },
    };
    await deps.repos.policyChanges.insert(change);
    changes.push(change);
  }
  return { groupId: changes[0]!.groupId, expiresAt, changes };
}

interface ConfirmedCancellation {
  /** The policy each change cancelled (or voided), as it stands after. */
  policy: Policy;
  change: PolicyChange;
  /** The refund made. */
  quote: RefundQuote;
}

export interface CancellationConfirmation {
  groupId: string;
  cancelled: ConfirmedCancellation[];
  /** True when the group had been confirmed before: the same result again, nothing changed now. */
  replayed: boolean;
}

/**
 * Confirms a previewed cancellation by its group id: every policy of the group ends, all or none, at
 * the refund the preview showed. The refund is held as long as only time has passed: a policy whose
 * refund, priced again as of the preview, is no longer the one shown (a payment collected, a claim
 * paid, the premium changed) is refused, to be previewed again.
 *
 * Refused with `not_found` for an unknown group and `offer_expired` past its `expiresAt`. Confirming a
 * group already confirmed changes nothing and answers the same result again (`replayed`), so a client
 * retrying after a lost answer gets it. `within` confines it to some policies (one booking's): a group
 * cancelling any other is not found.
 */
export async function confirmCancellation(
  deps: CoreDeps,
  tenant: Tenant,
  groupId: string,
  opts: { within?: string[] } = {},
): Promise<CancellationConfirmation> {
  const group = (await deps.repos.policyChanges.group(tenant, groupId, { forUpdate: true })).filter(
    (c) => c.kind === 'cancellation',
  );
  const outside = opts.within && group.some((c) => !opts.within!.includes(c.policyId));
  if (group.length === 0 || outside) throw notFound(`cancellation ${groupId}`, 'changeId');
  const now = deps.clock.now();
  if (group.every((c) => c.status === 'confirmed')) {
    const cancelled = [];
    for (const change of group) {
      const policy = await requirePolicy(deps, tenant, change.policyId, false);
      cancelled.push({ policy, change, quote: change.cancellation!.quote! });
    }
    return { groupId, cancelled, replayed: true };
  }
  const expired = group.find((c) => changeStatus(c, now) === 'expired');
  if (expired) {
    throw new CoreError(
      'offer_expired',
      `cancellation ${groupId} expired at ${expired.expiresAt.toISOString()}`,
      [{ field: 'changeId', message: 'expired: preview the cancellation again' }],
    );
  }
  const cancelled: ConfirmedCancellation[] = [];
  for (const change of group) {
    const terms = change.cancellation!;
    const policy = await requirePolicy(deps, tenant, change.policyId, true);
    const asPreviewed = await priceEnd(deps, policy, change.createdAt);
    if (terms.quote && !sameRefund(terms.quote, asPreviewed.quote)) {
      throw new CoreError('invalid_transition', 'the policy changed since this cancellation was priced', [
        { field: 'changeId', message: 'the policy was changed since; preview the cancellation again' },
      ]);
    }
    // A cancellation carried over from before the core kept refunds is priced now.
    const priced = terms.quote ? { ...asPreviewed, quote: terms.quote } : await priceEnd(deps, policy, now);
    const ended = await applyEnd(deps, policy, priced, terms.reason);
    const confirmed: PolicyChange = {
      ...change,
      status: 'confirmed',
      confirmedAt: now,
      resultPolicyId: policy.id,
      cancellation: { ...terms, quote: priced.quote },
    };
    await deps.repos.policyChanges.update(confirmed);
    cancelled.push({ policy: ended, change: confirmed, quote: priced.quote });
  }
  return { groupId, cancelled, replayed: false };
}

function sameRefund(a: RefundQuote, b: RefundQuote): boolean {
  return a.rule === b.rule && a.refund.amount === b.refund.amount && a.refund.currency === b.refund.currency;
}
