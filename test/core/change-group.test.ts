import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoreError } from '../../src/core/errors.js';
import type { Tenant } from '../../src/core/partners/partner.js';
import { confirmRenewalGroup, confirmUpdateGroup } from '../../src/core/policies/change-group.js';
import { quotePolicyUpdate } from '../../src/core/policies/modify-policy.js';
import { quoteRenewal } from '../../src/core/policies/renew-policy.js';
import type { Database } from '../../src/storage/database.js';
import { type CoreHarness, coreHarness } from '../helpers/core.js';
import { BACKENDS, testDatabase } from '../helpers/database.js';

/** Changes priced together under one group id (an XCover booking's `…-UPD`, `…-RNW`), confirmed together. */
describe.each(BACKENDS)('change groups on %s', (backend) => {
  let db: Database;
  let h: CoreHarness;
  let tenant: Tenant;
  beforeAll(async () => {
    db = await testDatabase(backend);
    h = coreHarness(db, '2026-03-02T10:00:00.000Z');
    tenant = await h.tenant();
  });
  afterAll(() => db.close());

  const bind = () => h.bindProtection(tenant);
  const notFound = async (work: Promise<unknown>) => {
    const error = await work.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CoreError);
    expect((error as CoreError).code).toBe('not_found');
  };

  it('updates priced under one group are confirmed together by it, and again answer the same', async () => {
    const [a, b] = [await bind(), await bind()];
    for (const [p, amount] of [
      [a, 59_900],
      [b, 69_900],
    ] as const) {
      await h.run((deps) =>
        quotePolicyUpdate(
          deps,
          tenant,
          p.id,
          { item: { price: { amount, currency: 'GBP' } } },
          { groupId: 'g-UPD' },
        ),
      );
    }
    const confirmed = await h.run((deps) =>
      confirmUpdateGroup(deps, tenant, 'g-UPD', { within: [a.id, b.id] }),
    );
    expect(confirmed.map((c) => [c.policy.id, c.policy.item.price.amount, c.change.status])).toEqual([
      [a.id, 59_900, 'confirmed'],
      [b.id, 69_900, 'confirmed'],
    ]);
    const again = await h.run((deps) => confirmUpdateGroup(deps, tenant, 'g-UPD'));
    expect(again.map((c) => c.policy.premium)).toEqual(confirmed.map((c) => c.policy.premium));
  });

  it('a group is not found by another kind, outside the policies it is confined to, or unknown', async () => {
    const a = await bind();
    await h.run((deps) =>
      quotePolicyUpdate(
        deps,
        tenant,
        a.id,
        { item: { price: { amount: 59_900, currency: 'GBP' } } },
        { groupId: 'h-UPD' },
      ),
    );
    await notFound(h.run((deps) => confirmRenewalGroup(deps, tenant, 'h-UPD')));
    await notFound(h.run((deps) => confirmUpdateGroup(deps, tenant, 'h-UPD', { within: ['pol_other'] })));
    await notFound(h.run((deps) => confirmUpdateGroup(deps, tenant, 'nothing-UPD')));
  });

  it('renewals priced under one group are confirmed together: each renewed policy names its renewal', async () => {
    const a = await bind();
    await h.run((deps) => quoteRenewal(deps, tenant, a.id, { groupId: 'r-RNW' }));
    const [renewal] = await h.run((deps) => confirmRenewalGroup(deps, tenant, 'r-RNW', { within: [a.id] }));
    expect(renewal?.renewed).toMatchObject({ id: a.id, renewedBy: renewal?.policy.id });
  });
});
