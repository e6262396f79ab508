import { categoryKey } from './eligibility.js';
import type { Product } from './product.js';

interface CategoryIndex {
  /** Positions in the list of the products naming each category (a product with none covers any). */
  named: Map<string, number[]>;
  any: number[];
}

/**
 * Indexes are built once per list the repository hands out: the reference cache hands out the same
 * frozen list until the catalog changes, and then a new one, so an index can never outlive its catalog
 * and is collected with it. Built from the catalog's own categories only, never from what clients ask
 * for, so a client cannot make it grow.
 */
const indexes = new WeakMap<readonly { product: Product }[], CategoryIndex>();

function indexOf(enabled: readonly { product: Product }[]): CategoryIndex {
  let index = indexes.get(enabled);
  if (index) return index;
  index = { named: new Map(), any: [] };
  enabled.forEach(({ product }, at) => {
    if (product.categories.length === 0) index.any.push(at);
    for (const key of new Set(product.categories.map(categoryKey))) {
      const positions = index.named.get(key);
      if (positions) positions.push(at);
      else index.named.set(key, [at]);
    }
  });
  indexes.set(enabled, index);
  return index;
}

/**
 * The products of `enabled` whose categories let them cover an item of `category`, in the list's
 * order. An offer reads the partner's whole catalog for every item: with thousands of products for
 * other categories, checking each one cost more than the rest of the offer, and the offer path must
 * cost the same with ten products or ten thousand.
 */
export function productsForCategory(enabled: readonly { product: Product }[], category: string): Product[] {
  const { named, any } = indexOf(enabled);
  const positions = named.get(categoryKey(category)) ?? [];
  // Two ascending lists merged: the answer keeps the catalog's order.
  const merged: Product[] = [];
  let i = 0;
  let j = 0;
  while (i < positions.length || j < any.length) {
    const takeNamed = j >= any.length || (i < positions.length && positions[i]! < any[j]!);
    merged.push(enabled[takeNamed ? positions[i++]! : any[j++]!]!.product);
  }
  return merged;
}
