import type { Tenant } from '../partners/partner.js';
import type { CoreDeps, DueKind } from '../ports.js';
import { activatePolicy } from './confirm-policy.js';
import type { Policy } from './policy.js';
import { policyEvent, recordChange, transition } from './transition.js';

/** How long before the end of a renewable policy the renewal-due notice goes out. */
export const RENEWAL_NOTICE_DAYS = 30;

/**
 * Applies one scheduled change to a policy the scheduler found due, after checking again under lock
 * (another worker may have done it already): cover begins, cover ends, or renewal is due.
 */
export async function applyDue(
  deps: CoreDeps,
  kind: DueKind,
  tenant: Tenant,
  id: string,
): Promise<Policy | undefined> {
  const policy = await deps.repos.policies.get(tenant, id, { forUpdate: true });
  if (!policy) return undefined;
  const now = deps.clock.now().getTime();
  if (kind === 'activation') {
    if (policy.status !== 'scheduled' || !policy.coverageStart || policy.coverageStart.getTime() > now)
      return undefined;
    return activatePolicy(deps, policy);
  }
  if (kind === 'expiry') {
    if (policy.status !== 'active' || !policy.coverageEnd || policy.coverageEnd.getTime() > now)
      return undefined;
    // A renewable policy ending with no renewal confirmed: the partner hears of it (policy.renewal_expired).
    const renewable = (await deps.repos.products.get(policy.productCode))?.renewable === true;
    const data = renewable && !policy.renewedBy ? { renewalExpired: true } : {};
    return transition(deps, policy, 'expire', 'expired', 'expired', {}, data);
  }
  if (policy.status !== 'active' || policy.renewalNotifiedAt || policy.renewalOptOut || policy.renewedBy)
    return undefined;
  const next: Policy = { ...policy, renewalNotifiedAt: deps.clock.now(), updatedAt: deps.clock.now() };
  await recordChange(
    deps,
    next,
    policyEvent(deps, next, 'renewal_due', policy.status, {
      coverageEnd: policy.coverageEnd?.toISOString(),
    }),
  );
  return next;
}
