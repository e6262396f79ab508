import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enableProduct } from '../../src/core/partners/manage-partners.js';
import type { Tenant } from '../../src/core/partners/partner.js';
import { bindPolicy } from '../../src/core/policies/bind-policy.js';
import { cancelPolicy } from '../../src/core/policies/cancel-policy.js';
import { partnerStatement } from '../../src/core/statements/partner-statement.js';
import type { Database } from '../../src/storage/database.js';
import { type CoreHarness, coreHarness } from '../helpers/core.js';
import { BACKENDS, testDatabase } from '../helpers/database.js';

const ada = { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com' };
const glen = {
  firstName: 'Glen',
  lastName: 'Clarkson',
  personalId: '19840726-1234',
  address: { line1: 'Storgatan 1', postalCode: '11122', city: 'Stockholm' },
};

describe.each(BACKENDS)('partner statements on %s', (backend) => {
  let db: Database;
  let h: CoreHarness;
  beforeAll(async () => {
    db = await testDatabase(backend);
    h = coreHarness(db);
  });
  afterAll(() => db.close());

  /** product-protection for a 1 000.00 GBP laptop: 100.00, of which 10.71 IPT (12 % included). */
  const bindLaptop = (tenant: Tenant, opts: { paymentPending?: boolean } = {}) =>
    h.run((deps) =>
      bindPolicy(deps, tenant, {
        source: {
          productCode: 'product-protection',
          termMonths: 12,
          country: 'GB',
          item: { category: 'Laptop', price: { amount: 100_000, currency: 'GBP' } },
        },
        policyholder: ada,
        ...opts,
      }),
    );
  /** tech-insurance for an 8 500 SEK tablet: 499.00, of which 99.80 VAT (25 % included). */
  const bindTablet = (tenant: Tenant) =>
    h.run((deps) =>
      bindPolicy(deps, tenant, {
        source: {
          productCode: 'tech-insurance',
          termMonths: 12,
          country: 'SE',
          item: { category: 'Tablet', price: { amount: 850_000, currency: 'SEK' } },
        },
        policyholder: glen,
      }),
    );
  const cancel = (tenant: Tenant, policyId: string) =>
    h.run((deps) => cancelPolicy(deps, tenant, { policyId }));
  const statement = (tenant: Tenant, month: string) => h.run((deps) => partnerStatement(deps, tenant, month));
  const partnerCode = async (tenant: Tenant) => (await db.read.partners.getById(tenant.partnerId))!.code;

  it('premiums in the month of binding, refunds in the month of cancelling, per currency', async () => {
    const tenant = await h.tenant(); // 10 % commission on every product
    h.clock.set('2026-10-15T10:00:00Z');
    const laptop = await bindLaptop(tenant);
    const tablet = await bindTablet(tenant);
    expect(laptop.commissionBp).toBe(1_000);

    // 21 days later, inside product-protection's 30 days of cooling-off: everything back.
    h.clock.set('2026-11-05T10:00:00Z');
    expect((await cancel(tenant, laptop.id)).quote).toMatchObject({
      rule: 'cooling_off',
      refund: { amount: 10_000 },
    });
    // 36 days in: 329 of 365 days unused, 499.00 × 329 / 365 = 449.78.
    h.clock.set('2026-11-20T10:00:00Z');
    expect((await cancel(tenant, tablet.id)).quote).toMatchObject({
      rule: 'pro_rata',
      refund: { amount: 44_978 },
    });

    h.clock.set('2026-12-01T09:00:00Z');
    const october = await statement(tenant, '2026-10');
    expect(october).toMatchObject({
      partnerId: tenant.partnerId,
      mode: 'test',
      closed: true,
      period: { start: new Date('2026-10-01T00:00:00Z'), end: new Date('2026-11-01T00:00:00Z') },
    });
    // Commission: 10 % of 89.29 = 8.93; 10 % of 399.20 = 39.92.
    expect(october.currencies).toEqual([
      {
        currency: 'GBP',
        policiesWritten: 1,
        premiumsWritten: 10_000,
        refunds: 0,
        net: 10_000,
        taxes: [{ name: 'Insurance Premium Tax', written: 1_071, refunded: 0, net: 1_071 }],
        commission: 893,
        netDueToInsurer: 9_107,
      },
      {
        currency: 'SEK',
        policiesWritten: 1,
        premiumsWritten: 49_900,
        refunds: 0,
        net: 49_900,
        taxes: [{ name: 'Regular VAT', written: 9_980, refunded: 0, net: 9_980 }],
        commission: 3_992,
        netDueToInsurer: 45_908,
      },
    ]);
    // November: the laptop's whole premium back; of the tablet's 449.78, VAT 99.80 × 449.78 / 499.00
    // = 89.96, net 359.82, commission 35.98.
    expect((await statement(tenant, '2026-11')).currencies).toEqual([
      {
        currency: 'GBP',
        policiesWritten: 0,
        premiumsWritten: 0,
        refunds: 10_000,
        net: -10_000,
        taxes: [{ name: 'Insurance Premium Tax', written: 0, refunded: 1_071, net: -1_071 }],
        commission: -893,
        netDueToInsurer: -9_107,
      },
      {
        currency: 'SEK',
        policiesWritten: 0,
        premiumsWritten: 0,
        refunds: 44_978,
        net: -44_978,
        taxes: [{ name: 'Regular VAT', written: 0, refunded: 8_996, net: -8_996 }],
        commission: -3_598,
        netDueToInsurer: -41_380,
      },
    ]);
    expect((await statement(tenant, '2026-09')).currencies).toEqual([]);
    expect((await statement(tenant, '2026-12')).currencies).toEqual([]);
  });

  it('a closed month gives the same figures however often and however late it is asked for', async () => {
    const tenant = await h.tenant();
    h.clock.set('2026-10-31T23:59:59.999Z');
    const laptop = await bindLaptop(tenant);
    h.clock.set('2026-11-01T00:00:00.000Z');
    const first = await statement(tenant, '2026-10');
    await bindLaptop(tenant);
    await cancel(tenant, laptop.id);
    h.clock.set('2027-06-01T00:00:00Z');
    const again = await statement(tenant, '2026-10');
    expect(again).toEqual({ ...first, generatedAt: again.generatedAt });
    expect(again.currencies[0]).toMatchObject({ policiesWritten: 1, premiumsWritten: 10_000, refunds: 0 });
    expect((await statement(tenant, '2026-11')).currencies[0]).toMatchObject({
      policiesWritten: 1,
      premiumsWritten: 10_000,
      refunds: 10_000,
      net: 0,
    });
  });

  it("commission stays at the rate a policy was bound at when the partner's rate changes", async () => {
    const tenant = await h.tenant();
    const code = await partnerCode(tenant);
    h.clock.set('2026-10-10T10:00:00Z');
    const atTen = await bindLaptop(tenant);
    await h.run((deps) => enableProduct(deps, code, 'product-protection', 3_000));
    const atThirty = await bindLaptop(tenant);
    expect([atTen.commissionBp, atThirty.commissionBp]).toEqual([1_000, 3_000]);
    h.clock.set('2026-11-02T10:00:00Z');
    await cancel(tenant, atTen.id);

    // October: 10 % and 30 % of 89.29 = 8.93 + 26.79. November: the first one's 8.93 back.
    expect((await statement(tenant, '2026-10')).currencies[0]?.commission).toBe(893 + 2_679);
    expect((await statement(tenant, '2026-11')).currencies[0]?.commission).toBe(-893);
    expect((await db.read.policies.get(tenant, atTen.id))?.commissionBp).toBe(1_000);
  });

  it('a policy bound unpaid and voided writes nothing on balance', async () => {
    const tenant = await h.tenant();
    h.clock.set('2026-10-10T10:00:00Z');
    const unpaid = await bindLaptop(tenant, { paymentPending: true });
    h.clock.set('2026-11-10T10:00:00Z');
    const voided = await cancel(tenant, unpaid.id);
    expect(voided).toMatchObject({ outcome: 'voided', quote: { refund: { amount: 0 } } });

    expect((await statement(tenant, '2026-10')).currencies[0]).toMatchObject({
      premiumsWritten: 10_000,
      refunds: 0,
      commission: 893,
    });
    expect((await statement(tenant, '2026-11')).currencies[0]).toMatchObject({
      policiesWritten: 0,
      refunds: 10_000,
      taxes: [{ name: 'Insurance Premium Tax', written: 0, refunded: 1_071, net: -1_071 }],
      commission: -893,
    });
  });

  it("a statement holds the partner's own events in its own mode only", async () => {
    const tenant = await h.tenant();
    const other = await h.tenant();
    h.clock.set('2026-10-10T10:00:00Z');
    await bindLaptop(tenant);
    expect((await statement(tenant, '2026-10')).currencies).toHaveLength(1);
    expect((await statement({ ...tenant, mode: 'live' }, '2026-10')).currencies).toEqual([]);
    expect((await statement(other, '2026-10')).currencies).toEqual([]);
  });
});
