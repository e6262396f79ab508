import { type Product, productMarket } from '../catalog/product.js';
import { CoreError, type FieldError, notFound } from '../errors.js';
import { requirePartner } from '../partners/manage-partners.js';
import type { Market, Partner, Tenant } from '../partners/partner.js';
import type { CoreDeps } from '../ports.js';
import type { Solution } from './solution.js';

/** SocGen's insurance solution codes: 1.1.0's `CIxxxx`, and 1.7.1's `CIxxxx-xxxx`. */
const SOLUTION_CODE = /^CI\w{4}(-\w{4})?$/;

/**
 * Names a product in one of the partner's markets by a code: made, or pointed elsewhere when the code
 * exists. The partner must sell the product, and the product must be sold in that market.
 */
export async function putSolution(
  deps: CoreDeps,
  partnerCode: string,
  input: { code: string; productCode: string; country: string },
): Promise<Solution> {
  const partner = await requirePartner(deps, partnerCode);
  const errors: FieldError[] = [];
  if (!SOLUTION_CODE.test(input.code)) {
    errors.push({ field: 'code', message: 'CI and 4 letters or digits (1.7.1: and -xxxx)' });
  }
  const country = input.country.toUpperCase();
  if (!partner.markets.some((m) => m.country === country)) {
    errors.push({ field: 'country', message: `not one of ${partner.code}'s markets` });
  }
  const enabled = (await deps.repos.products.listEnabled(partner.id)).find(
    (e) => e.product.code === input.productCode,
  );
  if (!enabled) {
    errors.push({ field: 'productCode', message: `not one of ${partner.code}'s products` });
  } else if (!productMarket(enabled.product, country)) {
    errors.push({ field: 'productCode', message: `${input.productCode} is not sold in ${country}` });
  }
  if (errors.length > 0) throw new CoreError('validation_failed', 'invalid solution', errors);
  const existing = await deps.repos.solutions.get(partner.id, input.code);
  const solution: Solution = {
    partnerId: partner.id,
    code: input.code,
    productCode: input.productCode,
    country,
    createdAt: existing?.createdAt ?? deps.clock.now(),
  };
  await deps.repos.solutions.put(solution);
  return solution;
}

export async function listSolutions(deps: CoreDeps, partnerCode: string): Promise<Solution[]> {
  const partner = await requirePartner(deps, partnerCode);
  return deps.repos.solutions.list(partner.id);
}

export async function removeSolution(deps: CoreDeps, partnerCode: string, code: string): Promise<void> {
  const partner = await requirePartner(deps, partnerCode);
  if (!(await deps.repos.solutions.remove(partner.id, code))) throw notFound(`solution ${code}`, 'code');
}

/** A solution as a request uses it: its product (still sold by the partner) and its market. */
export interface SolutionInUse {
  solution: Solution;
  product: Product;
  market: Market;
}

/**
 * The caller's solution of that code, with its product and market; `product_not_enabled` naming `field`
 * for a code that is not one of the partner's, or whose product the partner no longer sells.
 */
export async function requireSolution(
  deps: CoreDeps,
  tenant: Tenant,
  code: string,
  field: string,
): Promise<SolutionInUse> {
  const refuse = (why: string) =>
    new CoreError('product_not_enabled', `solution ${code} ${why}`, [{ field, message: why }]);
  const solution = await deps.repos.solutions.get(tenant.partnerId, code);
  if (!solution) throw refuse("is not one of this partner's solutions");
  const [partner, enabled] = await Promise.all([
    deps.repos.partners.getById(tenant.partnerId),
    deps.repos.products.listEnabled(tenant.partnerId),
  ]);
  const product = enabled.find((e) => e.product.code === solution.productCode)?.product;
  const market = partner && marketOf(partner, solution.country);
  if (!product || !market || !productMarket(product, market.country)) {
    throw refuse('is no longer sold by this partner');
  }
  return { solution, product, market };
}

/** The partner's solutions sold in a country, with their products and market: what a buyer there may get. */
export async function solutionsIn(deps: CoreDeps, tenant: Tenant, country: string): Promise<SolutionInUse[]> {
  const [partner, solutions, enabled] = await Promise.all([
    deps.repos.partners.getById(tenant.partnerId),
    deps.repos.solutions.list(tenant.partnerId),
    deps.repos.products.listEnabled(tenant.partnerId),
  ]);
  const market = partner && marketOf(partner, country);
  if (!market) return [];
  return solutions.flatMap((solution) => {
    const product = enabled.find((e) => e.product.code === solution.productCode)?.product;
    return solution.country === market.country && product && productMarket(product, market.country)
      ? [{ solution, product, market }]
      : [];
  });
}

const marketOf = (partner: Partner, country: string) =>
  partner.markets.find((m) => m.country === country.toUpperCase());
