import type { Tenant } from '../partners/partner.js';
import type { CoreDeps } from '../ports.js';
import type { ProductFacts } from './product-fact.js';

/** Remembers the latest facts the shop sent of a product. */
export async function rememberProduct(
  deps: CoreDeps,
  tenant: Tenant,
  facts: Omit<ProductFacts, 'updatedAt'>,
): Promise<ProductFacts> {
  const kept: ProductFacts = { ...facts, updatedAt: deps.clock.now() };
  await deps.repos.productFacts.put(tenant, kept);
  return kept;
}

/** The facts known of these products, by product id. */
export async function productFacts(
  deps: CoreDeps,
  tenant: Tenant,
  productIds: string[],
): Promise<Map<string, ProductFacts>> {
  const unique = [...new Set(productIds)];
  const found = unique.length > 0 ? await deps.repos.productFacts.get(tenant, unique) : [];
  return new Map(found.map((f) => [f.productId, f]));
}
