import type { Product } from '../catalog/product.js';
import { CoreError, invalid, notFound } from '../errors.js';
import { replanInstalments } from '../instalments/replan.js';
import type { Tenant } from '../partners/partner.js';
import type { CoreDeps } from '../ports.js';
import type { Premium } from '../pricing/premium.js';
import { quoteExpiry } from '../quote-validity.js';
import { requirePolicy, requireProduct } from './lookups.js';
import type { InsuredItem, Policy, Policyholder } from './policy.js';
import { changeStatus, type PolicyChange } from './policy-change.js';
import { checkPolicyholder } from './policyholder.js';
import { priceTerm } from './price-term.js';
import { isInForce } from './state-machine.js';
import { policyEvent, recordChange } from './transition.js';

export interface ItemChanges {
  /** Fields of the insured item to replace (a corrected price, a serial number); the rest stays. */
  item?: Partial<InsuredItem>;
}

export interface PolicyChanges extends ItemChanges {
  /** Fields of the policyholder to replace; the rest stays. */
  policyholder?: Partial<Policyholder>;
}

export interface Repriced {
  /** The whole premium of the policy after the change. */
  premium: Premium;
  /** premium.total − the policy's premium total now: negative when the change makes cover cheaper. */
  priceDiff: number;
}

/** The item after the change: the given fields replace the policy's, the rest stays. */
export function mergeItem(item: InsuredItem, changes: Partial<InsuredItem> = {}): InsuredItem {
  const defined = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
  const merged: InsuredItem = { ...item, ...defined };
  if (typeof merged.category !== 'string' || merged.category.trim() === '')
    throw invalid('item/category', 'must not be empty');
  if (!Number.isSafeInteger(merged.price?.amount) || merged.price.amount < 0)
    throw invalid('item/price/amount', 'a whole number of minor units, 0 or more');
  return merged;
}

/** Whether the change touches what the premium is computed from: the item's category or price. */
export function changesPrice(before: InsuredItem, after: InsuredItem): boolean {
  return (
    before.category !== after.category ||
    before.price.amount !== after.price.amount ||
    before.price.currency !== after.price.currency
  );
}

/**
 * The policy's premium for `item` under the product's current rate table, for the policy's country and
 * term, and how it compares with the premium it has. A change that leaves the item's category and price
 * as they are (a serial number, a model name) keeps the premium: it is not a new sale at today's rates.
 */
export function repricePolicy(
  product: Product,
  policy: Pick<Policy, 'country' | 'termMonths' | 'premium' | 'item'>,
  item: InsuredItem,
): Repriced {
  if (!changesPrice(policy.item, item)) return { premium: policy.premium, priceDiff: 0 };
  const premium = priceTerm(product, policy.country, policy.termMonths, item);
  return { premium, priceDiff: premium.total - policy.premium.total };
}

/**
 * Prices a change of the insured item (XCover `quote_for_update`) and keeps it, pending, for
 * `confirmPolicyUpdate`, or with the other changes of its `groupId` for `confirmUpdateGroup`. Nothing on
 * the policy changes yet.
 */
export async function quotePolicyUpdate(
  deps: CoreDeps,
  tenant: Tenant,
  policyId: string,
  changes: ItemChanges,
  opts: { groupId?: string } = {},
): Promise<PolicyChange> {
  const policy = await requirePolicy(deps, tenant, policyId, false);
  requireModifiable(policy);
  if (!changes.item) throw invalid('item', 'nothing to change');
  const product = await requireProduct(deps, policy);
  const item = mergeItem(policy.item, changes.item);
  const { premium, priceDiff } = repricePolicy(product, policy, item);
  const now = deps.clock.now();
  const id = deps.ids.next('policyChange');
  const change: PolicyChange = {
    id,
    groupId: opts.groupId ?? id,
    partnerId: tenant.partnerId,
    mode: tenant.mode,
    policyId: policy.id,
    kind: 'update',
    status: 'pending',
    item,
    premium,
    previousPremium: policy.premium,
    priceDiff,
    termMonths: policy.termMonths,
    coverageStart: policy.coverageStart,
    coverageEnd: policy.coverageEnd,
    expiresAt: quoteExpiry(now),
    createdAt: now,
    confirmedAt: null,
    resultPolicyId: null,
    cancellation: null,
  };
  await deps.repos.policyChanges.insert(change);
  return change;
}

/**
 * Applies a priced update (XCover `confirm_update`): the policy takes the new item and premium, with a
 * `modified` event. Confirming again returns the policy as it is; an expired update is refused, and so is
 * one priced against a premium the policy no longer has (another change came first: price it again).
 */
export async function confirmPolicyUpdate(
  deps: CoreDeps,
  tenant: Tenant,
  changeId: string,
): Promise<{ policy: Policy; change: PolicyChange }> {
  const change = await deps.repos.policyChanges.get(tenant, changeId, { forUpdate: true });
  if (change?.kind !== 'update') throw notFound('policy update', 'changeId');
  const policy = await requirePolicy(deps, tenant, change.policyId, true);
  if (change.status === 'confirmed') return { policy, change };
  requirePending(change, deps.clock.now());
  requireModifiable(policy);
  if (
    policy.premium.total !== change.previousPremium.total ||
    policy.premium.currency !== change.previousPremium.currency
  ) {
    throw new CoreError('invalid_transition', 'the policy changed since this update was priced', [
      { field: 'changeId', message: 'the policy was changed since; quote the update again' },
    ]);
  }
  const next = await applyModification(deps, policy, {
    item: change.item,
    premium: change.premium,
    changeId: change.id,
  });
  const confirmed: PolicyChange = {
    ...change,
    status: 'confirmed',
    confirmedAt: deps.clock.now(),
    resultPolicyId: policy.id,
  };
  await deps.repos.policyChanges.update(confirmed);
  return { policy: next, change: confirmed };
}

/**
 * Changes a policy at once: policyholder fields merged (and checked against what the product requires),
 * item fields merged and repriced as `quotePolicyUpdate` would.
 */
export async function updatePolicy(
  deps: CoreDeps,
  tenant: Tenant,
  policyId: string,
  changes: PolicyChanges,
): Promise<{ policy: Policy; priceDiff: number }> {
  if (!changes.item && !changes.policyholder) throw invalid('policy', 'nothing to change');
  const policy = await requirePolicy(deps, tenant, policyId, true);
  requireModifiable(policy);
  const product = await requireProduct(deps, policy);
  const policyholder = changes.policyholder
    ? checkPolicyholder(product, { ...policy.policyholder, ...definedOnly(changes.policyholder) })
    : policy.policyholder;
  const item = changes.item ? mergeItem(policy.item, changes.item) : policy.item;
  const { premium, priceDiff } = repricePolicy(product, policy, item);
  const next = await applyModification(deps, policy, { item, premium, policyholder, changeId: null });
  return { policy: next, priceDiff };
}

async function applyModification(
  deps: CoreDeps,
  policy: Policy,
  to: { item: InsuredItem; premium: Premium; policyholder?: Policyholder; changeId: string | null },
): Promise<Policy> {
  const now = deps.clock.now();
  const next: Policy = {
    ...policy,
    item: to.item,
    premium: to.premium,
    ...(to.policyholder ? { policyholder: to.policyholder } : {}),
    updatedAt: now,
  };
  const event = policyEvent(deps, next, 'modified', policy.status, {
    previousPremium: policy.premium,
    premium: to.premium,
    priceDiff: to.premium.total - policy.premium.total,
    changeId: to.changeId,
  });
  await recordChange(deps, next, event);
  if (to.premium.total !== policy.premium.total) await replanInstalments(deps, next, to.premium);
  return next;
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function requireModifiable(policy: Policy): void {
  if (!isInForce(policy.status)) {
    throw new CoreError('invalid_transition', `a ${policy.status} policy cannot be changed`, [
      { field: 'policyId', message: `the policy is ${policy.status}` },
    ]);
  }
}

/** A change can be confirmed until its `expiresAt`. */
export function requirePending(change: PolicyChange, now: Date): void {
  if (changeStatus(change, now) === 'expired') {
    throw new CoreError('offer_expired', `${change.id} expired at ${change.expiresAt.toISOString()}`, [
      { field: 'changeId', message: 'the quote has expired; ask for a new one' },
    ]);
  }
}
