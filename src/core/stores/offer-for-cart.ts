import { CoreError } from '../errors.js';
import { createOffer, type OfferItemInput } from '../offers/create-offer.js';
import type { PricedOffer } from '../offers/offer.js';
import type { Tenant } from '../partners/partner.js';
import type { CoreDeps } from '../ports.js';
import { requireStore } from './manage-stores.js';

export interface StoreCartInput {
  /** The partner's own id for the store (Sitoo's `Store-ID`). */
  storeId: string;
  /** The cart's currency, as the client sent it. */
  currency: string;
  /** The cart's lines as offer items, priced in the store's currency once it is known to be the cart's. */
  items: (currency: string) => OfferItemInput[];
  refs: Record<string, string>;
}

/**
 * An offer for every line of a cart at one of the partner's stores: in the store's market, and only
 * for a cart in the currency the store sells in. Stored, so the sold cart can bind exactly the
 * quoted options until the offer expires.
 */
export async function offerForStoreCart(
  deps: CoreDeps,
  tenant: Tenant,
  input: StoreCartInput,
): Promise<PricedOffer> {
  const store = await requireStore(deps, tenant.partnerId, input.storeId);
  if (input.currency.toUpperCase() !== store.currency) {
    throw new CoreError(
      'not_eligible',
      `store ${store.externalId} sells in ${store.currency}, the cart is in ${input.currency}`,
    );
  }
  return createOffer(deps, tenant, {
    country: store.country,
    items: input.items(store.currency),
    refs: input.refs,
  });
}
