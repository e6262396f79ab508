import { checkEligibility } from '../catalog/eligibility.js';
import type { MerchantPlan } from '../catalog/merchant-plan.js';
import type { Product } from '../catalog/product.js';
import type { ProductFacts } from '../catalog/product-fact.js';
import { productFacts } from '../catalog/product-facts.js';
import { notFound } from '../errors.js';
import { marketForCurrency } from '../partners/currency-markets.js';
import type { Market, Partner, Tenant } from '../partners/partner.js';
import type { CoreDeps } from '../ports.js';
import { type Premium, pricePremium } from '../pricing/premium.js';
import type { CartLine } from './cart.js';
import type { CartCatalog } from './reconcile.js';

/** A plan the shop sells, with the product it stands for. */
export interface SoldPlan {
  plan: MerchantPlan;
  product: Product;
}

/**
 * The partner's catalog as its shop sees it in one currency: the market that currency is answered
 * from, the plans the shop sells by its own ids, and what it told us of its products.
 */
export interface MerchantCatalog {
  partner: Partner;
  market: Market;
  plans: Map<string, SoldPlan>;
  facts: Map<string, ProductFacts>;
}

export async function merchantCatalog(
  deps: CoreDeps,
  tenant: Tenant,
  input: { currency: string; currencyField: string; productIds: string[] },
): Promise<MerchantCatalog> {
  const partner = await deps.repos.partners.getById(tenant.partnerId);
  if (!partner) throw notFound('partner');
  const market = await marketForCurrency(deps, partner, input.currency, input.currencyField);
  const enabled = new Map(
    (await deps.repos.products.listEnabled(partner.id)).map((e) => [e.product.code, e.product]),
  );
  const plans = new Map<string, SoldPlan>();
  for (const plan of await deps.repos.merchantPlans.list(partner.id)) {
    const product = enabled.get(plan.productCode);
    if (product) plans.set(plan.merchantProductId, { plan, product });
  }
  const facts = await productFacts(deps, tenant, input.productIds);
  return { partner, market, plans, facts };
}

/** What one unit of a plan costs for an item of this category and price; undefined when it does not cover it. */
export function planPrice(
  catalog: MerchantCatalog,
  sold: SoldPlan,
  item: { category: string; price: number },
): Premium | undefined {
  const price = { amount: item.price, currency: catalog.market.currency };
  const eligibility = checkEligibility(sold.product, catalog.market.country, item.category, price);
  if (!eligibility.eligible) return undefined;
  return pricePremium(sold.product, eligibility.market, sold.plan.termMonths, item.price);
}

/**
 * The category a product line is insured under: what the product page said, none for a product never
 * seen there. Its price: the line's, else the product page's.
 */
function lineItem(catalog: MerchantCatalog, line: CartLine): { category: string; price: number } | undefined {
  const facts = catalog.facts.get(line.productId);
  const price =
    line.price ?? (facts?.price?.currency === catalog.market.currency ? facts.price.amount : undefined);
  return price === undefined ? undefined : { category: facts?.category ?? '', price };
}

/** The catalog as reconciling asks it. */
export function cartCatalog(catalog: MerchantCatalog): CartCatalog {
  return {
    isPlan: (productId) => catalog.plans.has(productId),
    covers(planProductId, line) {
      const sold = catalog.plans.get(planProductId);
      const item = lineItem(catalog, line);
      return sold !== undefined && item !== undefined && planPrice(catalog, sold, item) !== undefined;
    },
  };
}
