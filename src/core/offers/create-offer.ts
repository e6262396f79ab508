import { productsForCategory } from '../catalog/category-index.js';
import { checkEligibility } from '../catalog/eligibility.js';
import type { Product } from '../catalog/product.js';
import { productName } from '../catalog/product.js';
import { CoreError, invalid, notFound } from '../errors.js';
import { type Market, requireMarket, type Tenant } from '../partners/partner.js';
import { checkCoverageStart } from '../policies/coverage-start.js';
import type { InsuredItem } from '../policies/policy.js';
import type { CoreDeps } from '../ports.js';
import { pricePremium, timesQuantity } from '../pricing/premium.js';
import { quoteExpiry } from '../quote-validity.js';
import type { Offer, OfferItem, OfferOption, PricedOffer, PricedOption } from './offer.js';

export interface OfferItemInput {
  ref: string;
  item: InsuredItem;
  quantity: number;
}

export interface CreateOfferInput {
  country: string;
  language?: string;
  items: OfferItemInput[];
  refs?: Record<string, string>;
  /** A "fast" offer is priced and returned but not stored, so it cannot be bound. */
  store?: boolean;
  /**
   * When cover is to start, if the client says so when asking for the price: refused (`coverageStart`)
   * unless binding would take it at any time until the offer expires.
   */
  coverageStart?: Date;
}

/**
 * Prices every product the partner sells for every item, in every term the product offers. Its one
 * write is the offer's row, so it needs no transaction of its own.
 */
export async function createOffer(
  deps: CoreDeps,
  tenant: Tenant,
  input: CreateOfferInput,
): Promise<PricedOffer> {
  const partner = await deps.repos.partners.getById(tenant.partnerId);
  if (!partner) throw notFound('partner');
  const market = requireMarket(partner, input.country, 'country');
  checkItems(input.items, market);
  const now = deps.clock.now();
  const expiresAt = quoteExpiry(now);
  if (input.coverageStart) checkCoverageStart(input.coverageStart, now, expiresAt);

  const enabled = await deps.repos.products.listEnabled(tenant.partnerId);
  const language = input.language ?? market.language;
  const items: OfferItem<PricedOption>[] = input.items.map((line) => ({
    ref: line.ref,
    item: line.item,
    quantity: line.quantity,
    options: productsForCategory(enabled, line.item.category).flatMap((product) => {
      const eligibility = checkEligibility(product, market.country, line.item.category, line.item.price);
      if (!eligibility.eligible) return [];
      return product.terms.flatMap((termMonths): PricedOption[] => {
        const unitPremium = pricePremium(product, eligibility.market, termMonths, line.item.price.amount);
        if (!unitPremium) return [];
        const option = {
          id: deps.ids.next('offerOption'),
          productCode: product.code,
          termMonths,
          unitPremium,
        };
        return [describeOption(product, option, line.quantity, language)];
      });
    }),
  }));

  const offer: PricedOffer = {
    id: deps.ids.next('offer'),
    partnerId: tenant.partnerId,
    mode: tenant.mode,
    country: market.country,
    currency: market.currency,
    language,
    items,
    refs: input.refs ?? {},
    createdAt: now,
    expiresAt,
    declinedAt: null,
  };
  if (input.store !== false) await deps.repos.offers.insert(offer);
  return offer;
}

/**
 * Stores an offer priced unstored (`store: false`) once the caller has found in it what it wanted, so
 * that it can be bound.
 */
export async function storeOffer(deps: CoreDeps, tenant: Tenant, offer: Offer): Promise<void> {
  if (offer.partnerId !== tenant.partnerId || offer.mode !== tenant.mode) throw notFound('offer', 'offerId');
  await deps.repos.offers.insert(offer);
}

function checkItems(items: OfferItemInput[], market: Market): void {
  if (items.length === 0) throw invalid('items', 'at least one item');
  const refs = new Set<string>();
  items.forEach((line, i) => {
    if (refs.has(line.ref)) throw invalid(`items/${i}/ref`, 'used twice in this offer');
    refs.add(line.ref);
    if (line.item.price.currency !== market.currency) {
      throw new CoreError('validation_failed', `prices in ${market.country} are in ${market.currency}`, [
        { field: `items/${i}/price/currency`, message: `must be ${market.currency} in ${market.country}` },
      ]);
    }
  });
}

export async function declineOffer(deps: CoreDeps, tenant: Tenant, offerId: string): Promise<Offer> {
  const offer = await deps.repos.offers.get(tenant, offerId);
  if (!offer) throw notFound('offer', 'offerId');
  if (!offer.declinedAt) {
    offer.declinedAt = deps.clock.now();
    await deps.repos.offers.markDeclined(tenant, offerId, offer.declinedAt);
  }
  return offer;
}

/** An option as answered: what is stored of it, with its product described in the offer's language. */
function describeOption(
  product: Product,
  option: OfferOption,
  quantity: number,
  language: string,
): PricedOption {
  return {
    ...option,
    productName: productName(product, language),
    coverage: product.coverage,
    premium: timesQuantity(option.unitPremium, quantity),
    policyholderFields: product.policyholderFields,
    documents: product.documents,
  };
}

/**
 * A stored offer described again for an answer (stored offers keep only what binding needs). Options
 * whose product has left the catalog are left out: they cannot be bound either.
 */
export async function describeOffer(deps: CoreDeps, offer: Offer): Promise<PricedOffer> {
  const codes = new Set(offer.items.flatMap((i) => i.options.map((o) => o.productCode)));
  const products = new Map<string, Product>();
  for (const code of codes) {
    const product = await deps.repos.products.get(code);
    if (product) products.set(code, product);
  }
  return {
    ...offer,
    items: offer.items.map((item) => ({
      ...item,
      options: item.options.flatMap((o) => {
        const product = products.get(o.productCode);
        return product ? [describeOption(product, o, item.quantity, offer.language)] : [];
      }),
    })),
  };
}
