import type { Money } from '../money.js';
import { type Product, type ProductMarket, productMarket } from './product.js';

type IneligibleReason = 'market' | 'currency' | 'category' | 'price_range';

export type Eligibility =
  | { eligible: true; market: ProductMarket }
  | { eligible: false; reason: IneligibleReason };

/** Whether a product may cover an item of this category and price, sold in this country. */
export function checkEligibility(
  product: Product,
  country: string,
  category: string,
  price: Money,
): Eligibility {
  const market = productMarket(product, country);
  if (!market) return { eligible: false, reason: 'market' };
  if (market.currency !== price.currency) return { eligible: false, reason: 'currency' };
  if (product.categories.length > 0 && !product.categories.some((c) => sameCategory(c, category))) {
    return { eligible: false, reason: 'category' };
  }
  if (price.amount < market.itemPrice.min || price.amount > market.itemPrice.max) {
    return { eligible: false, reason: 'price_range' };
  }
  return { eligible: true, market };
}

/** A category as it is compared: case and surrounding spaces aside. */
export const categoryKey = (category: string): string => category.trim().toLowerCase();

function sameCategory(a: string, b: string): boolean {
  return categoryKey(a) === categoryKey(b);
}
