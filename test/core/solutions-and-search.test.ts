import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoreError } from '../../src/core/errors.js';
import type { Tenant } from '../../src/core/partners/partner.js';
import { searchPolicies } from '../../src/core/policies/search-policies.js';
import { keepUnderAlias } from '../../src/core/records/keep-record.js';
import {
  putSolution,
  removeSolution,
  requireSolution,
  solutionsIn,
} from '../../src/core/solutions/manage-solutions.js';
import type { Database } from '../../src/storage/database.js';
import { type CoreHarness, coreHarness } from '../helpers/core.js';
import { BACKENDS, testDatabase } from '../helpers/database.js';

const refusal = (work: Promise<unknown>) =>
  work.then(
    () => expect.unreachable('accepted'),
    (e: unknown) => {
      expect(e).toBeInstanceOf(CoreError);
      return { code: (e as CoreError).code, fields: (e as CoreError).fields.map((f) => f.field) };
    },
  );

describe.each(BACKENDS)('solution codes and policy search on %s', (backend) => {
  let db: Database;
  let h: CoreHarness;
  beforeAll(async () => {
    db = await testDatabase(backend);
    h = coreHarness(db);
  });
  afterAll(() => db.close());

  const codeOf = async (tenant: Tenant) => (await db.read.partners.getById(tenant.partnerId))!.code;

  it('names one product in one of the partner markets; the market sets the currency', async () => {
    const tenant = await h.tenant();
    const code = await codeOf(tenant);
    expect(
      await refusal(
        h.run((d) => putSolution(d, code, { code: 'XX1234', productCode: 'nope', country: 'JP' })),
      ),
    ).toEqual({ code: 'validation_failed', fields: ['code', 'country', 'productCode'] });
    // CIFRWE is sold in France only.
    expect(
      await refusal(
        h.run((d) => putSolution(d, code, { code: 'CIDEWE', productCode: 'CIFRWE', country: 'DE' })),
      ),
    ).toEqual({ code: 'validation_failed', fields: ['productCode'] });

    await h.run((d) => putSolution(d, code, { code: 'CIFRWE', productCode: 'CIFRWE', country: 'fr' }));
    const inUse = await h.run((d) => requireSolution(d, tenant, 'CIFRWE', 'solutionCode'));
    expect(inUse.market).toMatchObject({ country: 'FR', currency: 'EUR', language: 'fr' });
    expect(inUse.product.code).toBe('CIFRWE');
    expect((await h.run((d) => solutionsIn(d, tenant, 'FR'))).map((s) => s.solution.code)).toEqual([
      'CIFRWE',
    ]);
    expect(await h.run((d) => solutionsIn(d, tenant, 'SE'))).toEqual([]);

    // Another partner's code is not this one's.
    const other = await h.tenant();
    expect(await refusal(h.run((d) => requireSolution(d, other, 'CIFRWE', 'solutionCode')))).toEqual({
      code: 'product_not_enabled',
      fields: ['solutionCode'],
    });
    await h.run((d) => removeSolution(d, code, 'CIFRWE'));
    expect(await refusal(h.run((d) => requireSolution(d, tenant, 'CIFRWE', 'solutionCode')))).toMatchObject({
      code: 'product_not_enabled',
    });
  });

  it('finds a dialect’s policies by basket, order and product, a page at a time with the total', async () => {
    const tenant = await h.tenant();
    const bind = async (n: number, basketId: string, orderId: string) => {
      const policy = await h.bindProtection(tenant, {}, { refs: { basketId, orderId } });
      await h.run((d) =>
        keepUnderAlias(d, tenant, {
          kind: 'test_sub',
          alias: `sub-${n}`,
          targetId: policy.id,
          ref: null,
          data: { n },
        }),
      );
      return policy;
    };
    await bind(1, 'basket-a', 'order-1');
    await bind(2, 'basket-a', 'order-2');
    await bind(3, 'basket-b', 'order-2');
    // A policy without the alias kind is not the dialect's.
    await h.bindProtection(tenant, {}, { refs: { basketId: 'basket-a' } });

    const search = (filter: Record<string, string | number>) =>
      h.run((d) => searchPolicies(d, tenant, { aliasKind: 'test_sub', page: 1, pageSize: 20, ...filter }));
    const byBasket = await search({ basketId: 'basket-a' });
    expect(byBasket.total).toBe(2);
    expect(byBasket.found.map((f) => [f.alias, f.data])).toEqual([
      ['sub-2', { n: 2 }],
      ['sub-1', { n: 1 }],
    ]);
    expect((await search({ orderId: 'order-2' })).found.map((f) => f.alias)).toEqual(['sub-3', 'sub-2']);
    expect((await search({ productCode: 'product-protection', country: 'GB' })).total).toBe(3);
    expect((await search({ productCode: 'CIFRWE' })).total).toBe(0);
    const page2 = await search({ pageSize: 2, page: 2 });
    expect(page2).toMatchObject({ total: 3 });
    expect(page2.found.map((f) => f.alias)).toEqual(['sub-1']);
    // Past the last page: no rows, the total all the same.
    expect(await search({ pageSize: 2, page: 3 })).toEqual({ total: 3, found: [] });
    // Another tenant sees none of them.
    const other = await h.tenant();
    expect(
      await h.run((d) => searchPolicies(d, other, { aliasKind: 'test_sub', page: 1, pageSize: 20 })),
    ).toEqual({ total: 0, found: [] });
    expect(await refusal(search({ page: 0, pageSize: 101 }))).toEqual({
      code: 'validation_failed',
      fields: ['page', 'pageSize'],
    });
  });
});
