import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoreError, notFound } from '../../src/core/errors.js';
import { createOffer } from '../../src/core/offers/create-offer.js';
import type { Tenant } from '../../src/core/partners/partner.js';
import { bindPackage, PackageBindError } from '../../src/core/policies/bind-package.js';
import type { Database } from '../../src/storage/database.js';
import { type CoreHarness, coreHarness } from '../helpers/core.js';
import { BACKENDS, testDatabase } from '../helpers/database.js';

const GBP = (amount: number) => ({ amount, currency: 'GBP' });
const ada = { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com' };

describe.each(BACKENDS)('binding a package all or nothing on %s', (backend) => {
  let db: Database;
  let h: CoreHarness;
  beforeAll(async () => {
    db = await testDatabase(backend);
    h = coreHarness(db);
  });
  afterAll(() => db.close());

  /** An offer for two laptops, and its 12-month product-protection option for each. */
  const offered = async (tenant: Tenant) => {
    const offer = await h.run((deps) =>
      createOffer(deps, tenant, {
        country: 'GB',
        items: [
          { ref: 'a', item: { category: 'Laptop', price: GBP(89_900) }, quantity: 1 },
          { ref: 'b', item: { category: 'Laptop', price: GBP(199_900) }, quantity: 1 },
        ],
      }),
    );
    const option = (i: number) =>
      offer.items[i]!.options.find((o) => o.productCode === 'product-protection' && o.termMonths === 12)!;
    return { offerId: offer.id, options: [option(0).id, option(1).id] };
  };
  const policiesOf = async (tenant: Tenant) => db.read.policies.list(tenant, { limit: 10 });

  it('binds every item in order, with its instalment plan', async () => {
    const tenant = await h.tenant();
    const { offerId, options } = await offered(tenant);
    const policies = await h.run((deps) =>
      bindPackage(deps, tenant, {
        policyholder: ada,
        items: [
          { source: { offerId, optionId: options[0]! }, refs: { quote_id: 'q0' }, instalmentPlan: 'monthly' },
          { source: { offerId, optionId: options[1]! } },
        ],
      }),
    );
    expect(policies.map((p) => [p.premium.total, p.refs.quote_id])).toEqual([
      [8_990, 'q0'],
      [19_990, undefined],
    ]);
    expect(await db.read.instalments.list(tenant, policies[0]!.id)).toHaveLength(12);
    expect(await db.read.instalments.list(tenant, policies[1]!.id)).toHaveLength(0);
  });

  it('binds none when one fails, and names each failing item by its index', async () => {
    const tenant = await h.tenant();
    const { offerId, options } = await offered(tenant);
    const error = await h
      .run((deps) =>
        bindPackage(deps, tenant, {
          policyholder: ada,
          items: [
            { source: { offerId, optionId: options[0]! } },
            notFound('quote q1', 'id'),
            { source: { offerId, optionId: options[1]! }, instalmentPlan: 'weekly' },
            { source: { offerId, optionId: 'opt_unknown' } },
          ],
        }),
      )
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PackageBindError);
    const failed = error as PackageBindError;
    expect(failed.code).toBe('not_found');
    expect(failed.failures.map((f) => f.index)).toEqual([1, 2, 3]);
    expect(failed.fields.map((f) => f.field)).toEqual([
      'items/1/id',
      'items/2/instalmentPlan',
      'items/3/optionId',
    ]);
    expect(failed).toBeInstanceOf(CoreError);
    expect(await policiesOf(tenant)).toEqual([]);
  });
});
