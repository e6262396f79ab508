import type { CoreDeps } from '../ports.js';
import { type Product, validateProduct } from './product.js';
import { changedFields, type ProductActor } from './product-change.js';

/**
 * Creates or replaces a product, and records the change with who made it and the product before and
 * after. Putting a product as it already is records nothing: a form sent twice is one change.
 */
export async function putProduct(deps: CoreDeps, product: Product, actor: ProductActor): Promise<Product> {
  validateProduct(product);
  // Locked, so concurrent changes queue and each one's "before" is the one before it.
  const before = await deps.repos.products.get(product.code, { forUpdate: true });
  if (before && changedFields(before, product).length === 0) return product;
  const at = deps.clock.now();
  await deps.repos.products.put(product, at);
  await deps.repos.productChanges.add({
    id: deps.ids.next('productChange'),
    productCode: product.code,
    at,
    actor,
    before: before ?? null,
    after: product,
  });
  return product;
}

/** A product's changes, newest first, each with the fields it changed (none listed for the creation). */
export async function productHistory(deps: CoreDeps, code: string, limit = 50) {
  const changes = await deps.repos.productChanges.list(code, limit);
  return changes.map((c) => ({
    ...c,
    fields: c.before ? changedFields(c.before, c.after) : [],
  }));
}
