import type { Product } from '../catalog/product.js';
import { CoreError } from '../errors.js';
import type { Tenant } from '../partners/partner.js';
import type { CoreDeps } from '../ports.js';
import { requirePolicy, requireProduct } from './lookups.js';
import type { Policy } from './policy.js';

/** A policy with a certificate to show: one that was bound. A quote never bound has none. */
export async function certifiedPolicy(
  deps: CoreDeps,
  tenant: Tenant,
  policyId: string,
): Promise<{ policy: Policy; product: Product }> {
  const policy = await requirePolicy(deps, tenant, policyId, false, 'id');
  if (!policy.boundAt) {
    throw new CoreError('invalid_transition', `policy ${policy.id} was never bound: it has no certificate`, [
      { field: 'id', message: `the policy is ${policy.status}; bind it first` },
    ]);
  }
  return { policy, product: await requireProduct(deps, policy) };
}
