import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoreError } from '../../src/core/errors.js';
import type { Database } from '../../src/storage/database.js';
import { type CoreHarness, coreHarness } from '../helpers/core.js';
import { BACKENDS, testDatabase } from '../helpers/database.js';

describe.each(BACKENDS)('binding at the prices the client was quoted, on %s', (backend) => {
  let db: Database;
  let h: CoreHarness;
  beforeAll(async () => {
    db = await testDatabase(backend);
    h = coreHarness(db);
  });
  afterAll(() => db.close());

  const refusal = (work: Promise<unknown>) =>
    work.then(
      () => expect.unreachable('bound'),
      (e: unknown) => {
        expect(e).toBeInstanceOf(CoreError);
        return { code: (e as CoreError).code, fields: (e as CoreError).fields };
      },
    );

  it('binds when the expected premium is the price, and refuses any other, naming both values', async () => {
    const tenant = await h.tenant();
    const price = (await h.bindProtection(tenant)).premium;
    const bound = await h.bindProtection(
      tenant,
      {},
      { expectedPremium: { amount: price.total, currency: 'gbp' } },
    );
    expect(bound.premium.total).toBe(price.total);

    for (const expectedPremium of [
      { amount: price.total - 1, currency: 'GBP' },
      { amount: price.total + 1, currency: 'GBP' },
      { amount: price.total, currency: 'EUR' },
    ]) {
      const refused = await refusal(h.bindProtection(tenant, {}, { expectedPremium }));
      expect(refused.code).toBe('validation_failed');
      expect(refused.fields).toEqual([
        {
          field: 'expectedPremium',
          message: `expected ${expectedPremium.amount} ${expectedPremium.currency} (minor units), but the price is ${price.total} GBP`,
        },
      ]);
    }
    // Only the two bound policies exist: a refused bind writes nothing.
    expect(await db.read.policies.list(tenant, { limit: 10 })).toHaveLength(2);
  });

  it('binds when the expected item price is the one priced, and refuses any other, naming both values', async () => {
    const tenant = await h.tenant();
    const bound = await h.bindProtection(
      tenant,
      {},
      { expectedItemPrice: { amount: 49_900, currency: 'gbp' } },
    );
    expect(bound.item.price).toEqual({ amount: 49_900, currency: 'GBP' });
    const refused = await refusal(
      h.bindProtection(tenant, {}, { expectedItemPrice: { amount: 49_800, currency: 'GBP' } }),
    );
    expect(refused).toEqual({
      code: 'validation_failed',
      fields: [
        {
          field: 'expectedItemPrice',
          message: 'expected 49800 GBP (minor units), but the item was priced at 49900 GBP',
        },
      ],
    });
    expect(await db.read.policies.list(tenant, { limit: 10 })).toHaveLength(1);
  });
});
