import type { Product } from '../catalog/product.js';
import { CoreError, notFound } from '../errors.js';
import type { Tenant } from '../partners/partner.js';
import type { CoreDeps } from '../ports.js';
import type { Policy } from './policy.js';

/** A policy of the tenant, locked until the transaction ends when `forUpdate`; else not_found. */
export async function requirePolicy(
  deps: CoreDeps,
  tenant: Tenant,
  id: string,
  forUpdate: boolean,
  field = 'policyId',
): Promise<Policy> {
  const policy = await deps.repos.policies.get(tenant, id, { forUpdate });
  if (!policy) throw notFound('policy', field);
  return policy;
}

export async function requireProduct(deps: CoreDeps, policy: Policy): Promise<Product> {
  const product = await deps.repos.products.get(policy.productCode);
  if (!product) throw notFound('product');
  return product;
}

/** A product the partner sells, with the commission it earns on it today. */
export async function requireEnablement(
  deps: CoreDeps,
  tenant: Tenant,
  code: string,
  field: string,
): Promise<{ product: Product; commissionBp: number }> {
  const enablement = (await deps.repos.products.listEnabled(tenant.partnerId)).find(
    (e) => e.product.code === code,
  );
  if (!enablement) {
    throw new CoreError('product_not_enabled', `product ${code} is not sold by this partner`, [
      { field, message: `${code} is not one of the partner's products` },
    ]);
  }
  return enablement;
}
