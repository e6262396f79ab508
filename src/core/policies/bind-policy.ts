import type { Product } from '../catalog/product.js';
import { addMonths } from '../clock.js';
import { CoreError, invalid, notFound } from '../errors.js';
import { findOption } from '../offers/offer.js';
import { requireMarket, type Tenant } from '../partners/partner.js';
import type { CoreDeps } from '../ports.js';
import type { Premium } from '../pricing/premium.js';
import { isQuoteValid, quoteExpiry } from '../quote-validity.js';
import { checkCoverageStart } from './coverage-start.js';
import { requireEnablement } from './lookups.js';
import type { InsuredItem, MerchantRefs, Policy, Policyholder } from './policy.js';
import type { PolicyChange } from './policy-change.js';
import { checkPolicyholder } from './policyholder.js';
import { priceTerm } from './price-term.js';
import { liveStatus } from './state-machine.js';
import { policyEvent, recordChange } from './transition.js';

export type BindSource =
  | { offerId: string; optionId: string }
  | { productCode: string; termMonths: number; country: string; item: InsuredItem }
  /** The next term of `policy`, at the price and dates a confirmed renewal quote (`change`) holds. */
  | { renewalOf: Policy; change: PolicyChange };

export interface BindInput {
  source: BindSource;
  policyholder: Policyholder;
  refs?: MerchantRefs;
  /** When cover begins, for products that start at binding (default: now); others start at fulfilment. */
  coverageStart?: Date;
  /** Bound but not paid yet: `pending_payment` until the payment is confirmed. */
  paymentPending?: boolean;
  /** Priced and stored as `quoted`, bound later by accepting it while the quote holds (`quoteExpiresAt`). */
  quoteOnly?: boolean;
  /** The unit of the order line (`refs.lineId` of order `refs.orderId`) this binding protects, when placing an order. */
  orderUnit?: number;
  /** The price the client was quoted for this unit: binding at any other price is refused. */
  expectedPremium?: { amount: number; currency: string };
  /** The item price the client says the cover was quoted on: binding cover priced on another is refused. */
  expectedItemPrice?: { amount: number; currency: string };
}

interface Priced {
  product: Product;
  termMonths: number;
  country: string;
  language: string;
  item: InsuredItem;
  premium: Premium;
  offerId: string | null;
  offerOptionId: string | null;
  /** The unit of the offer item the option binds. */
  optionUnit: number | null;
  /** The partner's commission on the product now: snapshotted on the policy for its statements. */
  commissionBp: number;
  /** A renewal: its start is the end of the term it renews, whatever the product's cover start. */
  renewal?: { of: string; coverageStart: Date };
}

/** Binds one unit of cover: from an offer option, or straight from a product and an item. */
export async function bindPolicy(deps: CoreDeps, tenant: Tenant, input: BindInput): Promise<Policy> {
  const priced =
    'offerId' in input.source
      ? await priceFromOffer(deps, tenant, input.source)
      : 'renewalOf' in input.source
        ? await priceFromRenewal(deps, tenant, input.source)
        : await priceFromCatalog(deps, tenant, input.source);
  if (input.expectedPremium) {
    checkExpected('expectedPremium', 'the price is', input.expectedPremium, {
      amount: priced.premium.total,
      currency: priced.premium.currency,
    });
  }
  if (input.expectedItemPrice) {
    checkExpected('expectedItemPrice', 'the item was priced at', input.expectedItemPrice, priced.item.price);
  }
  const policyholder = checkPolicyholder(priced.product, input.policyholder);
  const now = deps.clock.now();
  // A quote to accept later must hold its start for as long as it can be accepted.
  if (input.coverageStart) {
    checkCoverageStart(input.coverageStart, now, input.quoteOnly ? quoteExpiry(now) : now);
  }
  const coverageStart =
    priced.renewal?.coverageStart ??
    (priced.product.coverStart === 'at_fulfilment' ? null : (input.coverageStart ?? now));
  const status = input.quoteOnly
    ? 'quoted'
    : liveStatus({ paymentPending: input.paymentPending ?? false, coverageStart, now });
  const policy: Policy = {
    id: deps.ids.next('policy'),
    partnerId: tenant.partnerId,
    mode: tenant.mode,
    productCode: priced.product.code,
    termMonths: priced.termMonths,
    country: priced.country,
    language: policyholder.language ?? priced.language,
    status,
    policyholder,
    item: priced.item,
    premium: priced.premium,
    coverStart: priced.product.coverStart,
    coverageStart,
    coverageEnd: coverageStart ? addMonths(coverageStart, priced.termMonths) : null,
    boundAt: input.quoteOnly ? null : now,
    offerId: priced.offerId,
    offerOptionId: priced.offerOptionId,
    refs: input.refs ?? {},
    refund: null,
    claimPaid: false,
    commissionBp: priced.commissionBp,
    renewalOf: priced.renewal?.of ?? null,
    renewedBy: null,
    renewalOptOut: false,
    orderUnit: input.orderUnit ?? null,
    optionUnit: priced.optionUnit,
    createdAt: now,
    updatedAt: now,
  };
  const event = policyEvent(
    deps,
    policy,
    input.quoteOnly ? 'quoted' : 'bound',
    null,
    priced.renewal ? { renewalOf: priced.renewal.of } : {},
  );
  await recordChange(deps, policy, event, { insert: true });
  return policy;
}

/**
 * A client that names the price it was shown, or the item price it was shown for, never gets bound at
 * another one, even a lower one.
 */
function checkExpected(
  field: 'expectedPremium' | 'expectedItemPrice',
  what: string,
  expected: { amount: number; currency: string },
  actual: { amount: number; currency: string },
): void {
  if (expected.amount === actual.amount && expected.currency.toUpperCase() === actual.currency) return;
  throw invalid(
    field,
    `expected ${expected.amount} ${expected.currency.toUpperCase()} (minor units), but ${what} ${actual.amount} ${actual.currency}`,
  );
}

async function priceFromOffer(
  deps: CoreDeps,
  tenant: Tenant,
  source: { offerId: string; optionId: string },
): Promise<Priced> {
  // Locked: two binds of one offer's options count its units one after the other.
  const offer = await deps.repos.offers.get(tenant, source.offerId, { forUpdate: true });
  if (!offer) throw notFound('offer', 'offerId');
  if (!isQuoteValid(offer.expiresAt, deps.clock.now())) {
    throw new CoreError('offer_expired', `offer ${offer.id} expired at ${offer.expiresAt.toISOString()}`, [
      { field: 'offerId', message: 'the offer has expired; ask for a new one' },
    ]);
  }
  const found = findOption(offer, source.optionId);
  if (!found) throw notFound('offer option', 'optionId');
  const unit = freeUnit(await deps.repos.policies.optionUnits(tenant, found.option.id), found.item.quantity);
  if (unit === undefined) {
    throw new CoreError('quantity_exceeded', `all ${found.item.quantity} unit(s) of this option are bound`, [
      { field: 'optionId', message: `already bound for every unit of item ${found.item.ref}` },
    ]);
  }
  const { product, commissionBp } = await requireEnablement(
    deps,
    tenant,
    found.option.productCode,
    'optionId',
  );
  return {
    product,
    termMonths: found.option.termMonths,
    country: offer.country,
    language: offer.language,
    item: found.item.item,
    premium: found.option.unitPremium,
    offerId: offer.id,
    offerOptionId: found.option.id,
    optionUnit: unit,
    commissionBp,
  };
}

/** The next term of a policy: same product, item, country and language, at the renewal quote's price. */
async function priceFromRenewal(
  deps: CoreDeps,
  tenant: Tenant,
  source: { renewalOf: Policy; change: PolicyChange },
): Promise<Priced> {
  const { renewalOf: previous, change } = source;
  if (change.kind !== 'renewal' || change.policyId !== previous.id || !change.coverageStart) {
    throw invalid('renewalId', `${change.id} is not a renewal of ${previous.id}`);
  }
  const { product, commissionBp } = await requireEnablement(deps, tenant, previous.productCode, 'policyId');
  return {
    product,
    termMonths: change.termMonths,
    country: previous.country,
    language: previous.language,
    item: change.item,
    premium: change.premium,
    offerId: null,
    offerOptionId: null,
    optionUnit: null,
    commissionBp,
    renewal: { of: previous.id, coverageStart: change.coverageStart },
  };
}

async function priceFromCatalog(
  deps: CoreDeps,
  tenant: Tenant,
  source: { productCode: string; termMonths: number; country: string; item: InsuredItem },
): Promise<Priced> {
  const partner = await deps.repos.partners.getById(tenant.partnerId);
  if (!partner) throw notFound('partner');
  const market = requireMarket(partner, source.country, 'country');
  const { product, commissionBp } = await requireEnablement(deps, tenant, source.productCode, 'productCode');
  if (!product.terms.includes(source.termMonths)) {
    throw invalid('termMonths', `${product.code} is sold for ${product.terms.join(' or ')} months`);
  }
  const premium = priceTerm(product, market.country, source.termMonths, source.item);
  return {
    product,
    termMonths: source.termMonths,
    country: market.country,
    language: market.language,
    item: source.item,
    premium,
    offerId: null,
    offerOptionId: null,
    optionUnit: null,
    commissionBp,
  };
}

/** The lowest of units 0 to quantity − 1 that no policy holds; undefined when every one is held. */
export function freeUnit(held: readonly number[], quantity: number): number | undefined {
  const taken = new Set(held);
  for (let unit = 0; unit < quantity; unit++) if (!taken.has(unit)) return unit;
  return undefined;
}
