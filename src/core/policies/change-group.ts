import { notFound } from '../errors.js';
import type { Tenant } from '../partners/partner.js';
import type { CoreDeps } from '../ports.js';
import { confirmPolicyUpdate } from './modify-policy.js';
import type { Policy } from './policy.js';
import type { PolicyChange } from './policy-change.js';
import { confirmRenewal, type RenewalResult } from './renew-policy.js';

/**
 * Changes priced together (the quotes of one XCover booking: `…-UPD`, `…-RNW`) share the group id the
 * caller showed for them, and are confirmed together by it, all or none (one transaction). `within`
 * confines a group to some policies (one booking's): a group changing any other is not found, as is one
 * of another kind. Confirming a group again answers the same result, as each change's confirm does.
 */
async function changesOf(
  deps: CoreDeps,
  tenant: Tenant,
  groupId: string,
  kind: 'update' | 'renewal',
  opts: { within?: string[] },
): Promise<PolicyChange[]> {
  const group = await deps.repos.policyChanges.group(tenant, groupId, { forUpdate: true });
  const found = group.length > 0 && group.every((c) => c.kind === kind);
  if (!found || (opts.within && group.some((c) => !opts.within!.includes(c.policyId)))) {
    throw notFound(`${kind} ${groupId}`, 'changeId');
  }
  return group;
}

export async function confirmUpdateGroup(
  deps: CoreDeps,
  tenant: Tenant,
  groupId: string,
  opts: { within?: string[] } = {},
): Promise<{ policy: Policy; change: PolicyChange }[]> {
  const confirmed = [];
  for (const change of await changesOf(deps, tenant, groupId, 'update', opts)) {
    confirmed.push(await confirmPolicyUpdate(deps, tenant, change.id));
  }
  return confirmed;
}

export async function confirmRenewalGroup(
  deps: CoreDeps,
  tenant: Tenant,
  groupId: string,
  opts: { within?: string[] } = {},
): Promise<RenewalResult[]> {
  const confirmed = [];
  for (const change of await changesOf(deps, tenant, groupId, 'renewal', opts)) {
    confirmed.push(await confirmRenewal(deps, tenant, change.id));
  }
  return confirmed;
}
