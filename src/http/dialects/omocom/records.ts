import type { FastifyReply, FastifyRequest } from 'fastify';
import { productName } from '../../../core/catalog/product.js';
import { CoreError, notFound } from '../../../core/errors.js';
import type { Market, Partner, Tenant } from '../../../core/partners/partner.js';
import type { CoreDeps, DialectRecord, Repositories } from '../../../core/ports.js';
import type { Answer } from '../../kit/answer.js';

export const USER = 'omocom_user';
export const OBJECT = 'omocom_object';
export const INSURANCE = 'omocom_insurance';

export interface Caller {
  tenant: Tenant;
  partner: Partner;
  market: Market;
}

/** What every resource's routes are handed: who calls, and how to write for them. */
export interface MarketContext {
  caller: (request: FastifyRequest) => Caller;
  write: (
    request: FastifyRequest,
    reply: FastifyReply,
    work: (deps: CoreDeps, c: Caller) => Promise<Answer>,
  ) => Promise<void>;
  read: Repositories;
}

export async function requireRecord(
  repos: Repositories,
  tenant: Tenant,
  kind: string,
  handle: string,
  field: string,
): Promise<DialectRecord> {
  const record = await repos.dialectRecords.get(tenant, kind, handle.toLowerCase());
  const what = kind === USER ? 'user' : kind === OBJECT ? 'insurable object' : 'insurance';
  if (!record) throw notFound(`${what} ${handle}`, field);
  return record;
}

export async function requireInsurance(
  repos: Repositories,
  tenant: Tenant,
  handle: string,
): Promise<{ record: DialectRecord; policyId: string }> {
  const policyId = await repos.aliases.resolve(tenant, INSURANCE, handle.toLowerCase());
  const record = policyId
    ? await repos.dialectRecords.get(tenant, INSURANCE, handle.toLowerCase())
    : undefined;
  if (!policyId || !record) throw notFound(`insurance ${handle}`, 'InsuranceId');
  return { record, policyId };
}

/** The partner's product of that name, in the market's language or in English. */
export async function productByName(deps: CoreDeps, c: Caller, name: string) {
  const wanted = name.trim().toLowerCase();
  const names: string[] = [];
  for (const { product } of await deps.repos.products.listEnabled(c.tenant.partnerId)) {
    const candidates = [product.name[c.market.language], product.name.en, product.code].filter(Boolean);
    if (candidates.some((n) => n!.trim().toLowerCase() === wanted)) return product;
    names.push(productName(product, c.market.language));
  }
  throw new CoreError('product_not_enabled', `no product named "${name}" is sold by this platform`, [
    { field: 'product', message: `one of: ${names.join(', ')}` },
  ]);
}
