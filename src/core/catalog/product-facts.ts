import type { Tenant } from '../partners/partner.js';
import type { CoreDeps } from '../ports.js';

/**
 * What a shop told us of one of its own products on a product page, remembered per tenant (not per
 * session): carts and orders name the product and nothing more. A product never seen on a product page
 * has no category, so only plans that cover any category can protect it.
 */
export interface ProductFacts {
  productId: string;
  category: string;
  title?: string;
  brand?: string;
  /** Price of one unit, in minor units. */
  price?: { amount: number; currency: string };
  updatedAt: Date;
}

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
