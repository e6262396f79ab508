import { toStored } from '../auth/credentials.js';
import { setMerchantPlan } from '../core/catalog/merchant-plans.js';
import { putProduct } from '../core/catalog/put-product.js';
import { setCurrencyMarket } from '../core/partners/currency-markets.js';
import { enableProduct } from '../core/partners/manage-partners.js';
import type { Partner } from '../core/partners/partner.js';
import { checkOrigins } from '../core/partners/publishable-keys.js';
import type { CoreDeps } from '../core/ports.js';
import { putSolution } from '../core/solutions/manage-solutions.js';
import { addStore } from '../core/stores/manage-stores.js';
import {
  DEMO_CREDENTIALS,
  DEMO_CURRENCY_MARKETS,
  DEMO_MERCHANT_PLANS,
  DEMO_PARTNER,
  DEMO_PRODUCTS,
  DEMO_PUBLISHABLE_KEY,
  DEMO_SOLUTIONS,
  DEMO_STORES,
} from './catalog.js';

/** Writes the demo catalog, the demo partner and its well-known test credentials. */
export async function loadDemo(deps: CoreDeps): Promise<Partner> {
  for (const product of DEMO_PRODUCTS) await putProduct(deps, product, { userId: null, name: 'demo' });
  const now = deps.clock.now();
  const partner: Partner = {
    id: deps.ids.next('partner'),
    code: DEMO_PARTNER.code,
    name: DEMO_PARTNER.name,
    markets: DEMO_PARTNER.markets,
    counterpartHandle: DEMO_PARTNER.counterpartHandle,
    createdAt: now,
  };
  await deps.repos.partners.create(partner);
  for (const product of DEMO_PRODUCTS) {
    await enableProduct(deps, partner.code, product.code, DEMO_PARTNER.commissionBp);
  }
  for (const credential of toStored(deps.ids, partner.id, now, {
    mode: DEMO_CREDENTIALS.mode,
    apiKey: DEMO_CREDENTIALS.api_key,
    oauth: { clientId: DEMO_CREDENTIALS.oauth.client_id, clientSecret: DEMO_CREDENTIALS.oauth.client_secret },
    hmac: { keyId: DEMO_CREDENTIALS.hmac.key_id, secret: DEMO_CREDENTIALS.hmac.secret },
  })) {
    await deps.repos.credentials.add(credential);
  }
  await deps.repos.credentials.add({
    id: deps.ids.next('credential'),
    partnerId: partner.id,
    mode: DEMO_PUBLISHABLE_KEY.mode,
    kind: 'publishable_key',
    lookup: DEMO_PUBLISHABLE_KEY.key,
    secretHash: null,
    secret: null,
    setId: deps.ids.next('credentialSet'),
    createdAt: now,
    revokedAt: null,
    origins: checkOrigins(DEMO_PUBLISHABLE_KEY.allowedOrigins),
  });
  for (const store of DEMO_STORES) {
    await addStore(deps, partner.code, {
      externalId: store.external_id,
      country: store.country,
      currency: store.currency,
    });
  }
  for (const solution of DEMO_SOLUTIONS) {
    await putSolution(deps, partner.code, {
      code: solution.code,
      productCode: solution.product_code,
      country: solution.country,
    });
  }
  for (const chosen of DEMO_CURRENCY_MARKETS) await setCurrencyMarket(deps, partner.code, chosen);
  for (const plan of DEMO_MERCHANT_PLANS) await setMerchantPlan(deps, partner.code, plan);
  return partner;
}
