import { addMonths } from '../clock.js';
import { CoreError, notFound } from '../errors.js';
import type { Tenant } from '../partners/partner.js';
import type { CoreDeps } from '../ports.js';
import { quoteExpiry } from '../quote-validity.js';
import { bindPolicy } from './bind-policy.js';
import { requireEnablement, requirePolicy } from './lookups.js';
import { requirePending } from './modify-policy.js';
import type { Policy, PolicyStatus } from './policy.js';
import type { PolicyChange } from './policy-change.js';
import { priceTerm } from './price-term.js';
import { isInForce } from './state-machine.js';
import { policyEvent, recordChange } from './transition.js';

/** A renewal is quoted and confirmed while the policy is live and has a term to follow. */
const RENEWABLE_STATUSES: readonly PolicyStatus[] = ['scheduled', 'active'];

/** Whether a renewal may still be quoted or declined for the policy: in force, a term to follow, not renewed yet. */
export function awaitsRenewal(policy: Policy): boolean {
  return RENEWABLE_STATUSES.includes(policy.status) && policy.coverageEnd !== null && !policy.renewedBy;
}

/** The next term of a policy: as long as this one, starting when it ends. */
export function nextTerm(policy: Pick<Policy, 'coverageEnd' | 'termMonths'>): { start: Date; end: Date } {
  if (!policy.coverageEnd) throw new RangeError('a policy without a coverage end has no next term');
  return { start: policy.coverageEnd, end: addMonths(policy.coverageEnd, policy.termMonths) };
}

/**
 * Prices the next term of a renewable policy (XCover `quote_for_renewal`) at the product's current rates,
 * the same term length, starting at the old coverage end, and keeps it pending for `confirmRenewal`.
 * `priceDiff` compares the next term's total with this one's.
 */
export async function quoteRenewal(
  deps: CoreDeps,
  tenant: Tenant,
  policyId: string,
  opts: { groupId?: string } = {},
): Promise<PolicyChange> {
  const policy = await requirePolicy(deps, tenant, policyId, false);
  requireRenewable(policy);
  const { product } = await requireEnablement(deps, tenant, policy.productCode, 'policyId');
  if (!product.renewable) {
    throw new CoreError('not_eligible', `${product.code} is not renewable`, [
      { field: 'policyId', message: `${product.code} policies are not renewed` },
    ]);
  }
  const premium = priceTerm(product, policy.country, policy.termMonths, policy.item);
  const term = nextTerm(policy);
  const now = deps.clock.now();
  const id = deps.ids.next('policyChange');
  const change: PolicyChange = {
    id,
    groupId: opts.groupId ?? id,
    partnerId: tenant.partnerId,
    mode: tenant.mode,
    policyId: policy.id,
    kind: 'renewal',
    status: 'pending',
    item: policy.item,
    premium,
    previousPremium: policy.premium,
    priceDiff: premium.total - policy.premium.total,
    termMonths: policy.termMonths,
    coverageStart: term.start,
    coverageEnd: term.end,
    expiresAt: quoteExpiry(now),
    createdAt: now,
    confirmedAt: null,
    resultPolicyId: null,
    cancellation: null,
  };
  await deps.repos.policyChanges.insert(change);
  return change;
}

export interface RenewalResult {
  /** The new policy: the next term, scheduled to start when the renewed one ends. */
  policy: Policy;
  /** The renewed policy, now naming its renewal in `renewedBy`. */
  renewed: Policy;
  change: PolicyChange;
}

/**
 * Confirms a renewal quote (XCover `confirm/{renewalId}`): binds the next term as a new policy (same
 * product, policyholder, item, refs, country and language; commission as the partner's enablement
 * stands now) and records `renewed` on the old one. Confirming again returns the same new policy.
 */
export async function confirmRenewal(
  deps: CoreDeps,
  tenant: Tenant,
  changeId: string,
): Promise<RenewalResult> {
  const change = await deps.repos.policyChanges.get(tenant, changeId, { forUpdate: true });
  if (change?.kind !== 'renewal') throw notFound('renewal', 'renewalId');
  const previous = await requirePolicy(deps, tenant, change.policyId, true);
  if (change.status === 'confirmed' && change.resultPolicyId) {
    const policy = await deps.repos.policies.get(tenant, change.resultPolicyId);
    if (!policy) throw notFound('policy', 'renewalId');
    return { policy, renewed: previous, change };
  }
  requirePending(change, deps.clock.now());
  requireRenewable(previous);
  const policy = await bindPolicy(deps, tenant, {
    source: { renewalOf: previous, change },
    policyholder: previous.policyholder,
    refs: previous.refs,
  });
  const now = deps.clock.now();
  const renewed: Policy = { ...previous, renewedBy: policy.id, updatedAt: now };
  await recordChange(
    deps,
    renewed,
    policyEvent(deps, renewed, 'renewed', previous.status, {
      renewalId: change.id,
      renewedBy: policy.id,
      premium: change.premium,
      coverageStart: change.coverageStart?.toISOString(),
      coverageEnd: change.coverageEnd?.toISOString(),
    }),
  );
  const confirmed: PolicyChange = {
    ...change,
    status: 'confirmed',
    confirmedAt: now,
    resultPolicyId: policy.id,
  };
  await deps.repos.policyChanges.update(confirmed);
  return { policy, renewed, change: confirmed };
}

/** The policyholder does not want the policy renewed: no renewal can be quoted. Harmless to repeat. */
export async function optOutOfRenewal(deps: CoreDeps, tenant: Tenant, policyId: string): Promise<Policy> {
  const policy = await requirePolicy(deps, tenant, policyId, true);
  if (policy.renewalOptOut) return policy;
  if (!isInForce(policy.status)) {
    throw new CoreError('invalid_transition', `a ${policy.status} policy has no renewal to opt out of`, [
      { field: 'policyId', message: `the policy is ${policy.status}` },
    ]);
  }
  if (policy.renewedBy) throw alreadyRenewed(policy);
  const next: Policy = { ...policy, renewalOptOut: true, updatedAt: deps.clock.now() };
  await recordChange(deps, next, policyEvent(deps, next, 'renewal_opted_out', policy.status));
  return next;
}

function requireRenewable(policy: Policy): void {
  if (!RENEWABLE_STATUSES.includes(policy.status) || !policy.coverageEnd) {
    throw new CoreError('invalid_transition', `a ${policy.status} policy cannot be renewed`, [
      {
        field: 'policyId',
        message: policy.coverageEnd ? `the policy is ${policy.status}` : 'cover has not started yet',
      },
    ]);
  }
  if (policy.renewalOptOut) {
    throw new CoreError('invalid_transition', 'the policyholder opted out of renewal', [
      { field: 'policyId', message: 'opted out of renewal' },
    ]);
  }
  if (policy.renewedBy) throw alreadyRenewed(policy);
}

function alreadyRenewed(policy: Policy): CoreError {
  return new CoreError('invalid_transition', `the policy is already renewed by ${policy.renewedBy}`, [
    { field: 'policyId', message: `already renewed by ${policy.renewedBy}` },
  ]);
}
