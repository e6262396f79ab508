import {
  type MerchantCatalog,
  merchantCatalog,
  planPrice,
  type SoldPlan,
} from '../carts/merchant-catalog.js';
import { invalid } from '../errors.js';
import type { Tenant } from '../partners/partner.js';
import type { CoreDeps } from '../ports.js';
import type { Premium } from '../pricing/premium.js';
import type { ProductFacts } from './product-fact.js';
import { rememberProduct } from './product-facts.js';

export interface PlansForProductInput {
  productId: string;
  category: string;
  title?: string;
  brand?: string;
  price: { amount: number; currency: string };
}

export interface ProductPlans {
  facts: ProductFacts;
  catalog: MerchantCatalog;
  /** Every plan the shop sells that covers the product, with its price for one unit; none is an answer too. */
  plans: (SoldPlan & { premium: Premium })[];
}

/**
 * The plans a product page shows: the shop's plans that cover the product in the market its currency
 * is answered from. The product's facts are remembered for its cart and order lines.
 */
export async function plansForProduct(
  deps: CoreDeps,
  tenant: Tenant,
  input: PlansForProductInput,
): Promise<ProductPlans> {
  if (!Number.isInteger(input.price.amount) || input.price.amount < 0) {
    throw invalid('price/amount', 'an integer count of minor units, 0 or more');
  }
  const catalog = await merchantCatalog(deps, tenant, {
    currency: input.price.currency,
    currencyField: 'price/currency',
    productIds: [],
  });
  const facts = await rememberProduct(deps, tenant, {
    productId: input.productId,
    category: input.category,
    ...(input.title !== undefined ? { title: input.title } : {}),
    ...(input.brand !== undefined ? { brand: input.brand } : {}),
    price: { amount: input.price.amount, currency: catalog.market.currency },
  });
  const plans = [...catalog.plans.values()].flatMap((sold) => {
    const premium = planPrice(catalog, sold, { category: input.category, price: input.price.amount });
    return premium ? [{ ...sold, premium }] : [];
  });
  return { facts, catalog, plans };
}
