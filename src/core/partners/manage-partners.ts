import { CoreError, notFound } from '../errors.js';
import type { CoreDeps } from '../ports.js';
import { type Market, type Partner, validateCommission, validatePartnerInput } from './partner.js';

export async function createPartner(
  deps: CoreDeps,
  input: { code: string; name: string; markets: Market[] },
): Promise<Partner> {
  validatePartnerInput(input);
  if (await deps.repos.partners.getByCode(input.code)) {
    throw new CoreError('already_exists', `partner ${input.code} exists`, [
      { field: 'code', message: 'already taken' },
    ]);
  }
  const partner: Partner = {
    id: deps.ids.next('partner'),
    code: input.code,
    name: input.name,
    markets: input.markets,
    counterpartHandle: deps.ids.uuid().toUpperCase(),
    createdAt: deps.clock.now(),
  };
  await deps.repos.partners.create(partner);
  return partner;
}

export async function requirePartner(deps: CoreDeps, code: string): Promise<Partner> {
  const partner = await deps.repos.partners.getByCode(code);
  if (!partner) throw notFound(`partner ${code}`, 'code');
  return partner;
}

/** Lets a partner sell a product, in the markets both share, for a commission. */
export async function enableProduct(
  deps: CoreDeps,
  partnerCode: string,
  productCode: string,
  commissionBp: number,
): Promise<void> {
  validateCommission(commissionBp);
  const partner = await requirePartner(deps, partnerCode);
  const product = await deps.repos.products.get(productCode);
  if (!product) throw notFound(`product ${productCode}`, 'productCode');
  const shared = product.markets.filter((m) => partner.markets.some((pm) => pm.country === m.country));
  if (shared.length === 0) {
    throw new CoreError('validation_failed', `${productCode} is sold in none of ${partnerCode}'s markets`, [
      { field: 'productCode', message: 'no market in common with the partner' },
    ]);
  }
  await deps.repos.partners.enableProduct(partner.id, {
    productCode,
    commissionBp,
    enabledAt: deps.clock.now(),
  });
}

/** Stops a partner selling a product: no new offers or policies; those bound stay as they are. */
export async function disableProduct(deps: CoreDeps, partnerCode: string, productCode: string) {
  const partner = await requirePartner(deps, partnerCode);
  await deps.repos.partners.disableProduct(partner.id, productCode);
  return partner;
}
