import { CoreError, invalid, notFound } from '../errors.js';
import { requirePartner } from '../partners/manage-partners.js';
import type { CoreDeps } from '../ports.js';
import type { MerchantPlan } from './merchant-plan.js';

/** Names the shop's item for a product and term, replacing the id it had; an id names one plan only. */
export async function setMerchantPlan(
  deps: CoreDeps,
  partnerCode: string,
  input: { merchantProductId: string; productCode: string; termMonths: number },
): Promise<MerchantPlan> {
  const partner = await requirePartner(deps, partnerCode);
  if (!/^\S{1,128}$/.test(input.merchantProductId)) {
    throw invalid('merchantProductId', '1 to 128 characters, no spaces');
  }
  const enabled = (await deps.repos.products.listEnabled(partner.id)).find(
    (e) => e.product.code === input.productCode,
  );
  if (!enabled) {
    throw new CoreError('product_not_enabled', `${input.productCode} is not sold by ${partnerCode}`, [
      { field: 'productCode', message: 'not one of the partner’s products' },
    ]);
  }
  if (!enabled.product.terms.includes(input.termMonths)) {
    throw invalid(
      'termMonths',
      `${input.productCode} is sold for ${enabled.product.terms.join(' or ')} months`,
    );
  }
  const holder = (await deps.repos.merchantPlans.list(partner.id)).find(
    (p) => p.merchantProductId === input.merchantProductId,
  );
  if (holder && (holder.productCode !== input.productCode || holder.termMonths !== input.termMonths)) {
    throw new CoreError('already_exists', `${input.merchantProductId} names another plan`, [
      {
        field: 'merchantProductId',
        message: `already names ${holder.productCode} for ${holder.termMonths} months`,
      },
    ]);
  }
  const plan: MerchantPlan = { ...input, createdAt: deps.clock.now() };
  await deps.repos.merchantPlans.put(partner.id, plan);
  return plan;
}

export async function listMerchantPlans(deps: CoreDeps, partnerCode: string): Promise<MerchantPlan[]> {
  const partner = await requirePartner(deps, partnerCode);
  return deps.repos.merchantPlans.list(partner.id);
}

export async function removeMerchantPlan(
  deps: CoreDeps,
  partnerCode: string,
  merchantProductId: string,
): Promise<void> {
  const partner = await requirePartner(deps, partnerCode);
  if (!(await deps.repos.merchantPlans.remove(partner.id, merchantProductId))) {
    throw notFound(`plan ${merchantProductId}`, 'merchantProductId');
  }
}
