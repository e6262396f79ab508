import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../helpers/database.js';
import { type Scenario, startScenario } from '../helpers/scenario.js';

const GBP = (amount: number) => ({ amount, currency: 'GBP' });

describe.each(BACKENDS)('a claim from filing to payment on %s', (backend) => {
  let s: Scenario;
  beforeAll(async () => {
    s = await startScenario({ backend });
  });
  afterAll(() => s.close());

  it('bind, file, send a photo, approve, pay: the cooling-off refund is gone and the partner was told at every step', async () => {
    const shop = await s.shop();
    const hooks = await shop.subscribe(['claim.created', 'claim.updated']);
    const policy = await s.step('day 0: a laptop is covered, all refundable for now', async () => {
      // A 1000 GBP laptop under product-protection: 30 days of cooling-off, claims up to 5000 GBP.
      const bound = (
        await shop.bind({
          product_code: 'product-protection',
          term_months: 12,
          country: 'GB',
          item: { category: 'Laptop', brand: 'Lenovo', price: GBP(100_000) },
          policyholder: { first_name: 'Max', last_name: 'Mustermann', email: 'max@example.com' },
        })
      ).expect(201);
      expect((await shop.cancel(bound.id, { preview: true })).body).toMatchObject({
        rule: 'cooling_off',
        refund: { amount: bound.premium.total },
      });
      return bound;
    });

    const claim = await s.step('day 3: the customer files a claim with a photo', async () => {
      const filed = (
        await shop.fileClaim(policy.id, {
          incident_date: '2026-03-04',
          type: 'damage',
          description: 'Dropped from the desk; the hinge broke.',
          claimed_amount: GBP(45_000),
        })
      ).expect(201);
      const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
      const photo = { filename: 'hinge.png', contentType: 'image/png', bytes: png };
      (await shop.attach(filed.id, photo)).expect(201);
      return filed;
    });

    const paid = await s.step('day 4: the insurer reviews, approves and pays', async () => {
      (await s.admin.claim(claim.id, 'review')).expect(200);
      (await s.admin.claim(claim.id, 'approve', { approved_amount: GBP(40_000) })).expect(200);
      (
        await s.admin.claim(claim.id, 'pay', { paid_amount: GBP(40_000), note: 'bank transfer 2026-03-06' })
      ).expect(200);
      const got = (await shop.claim(claim.id)).body;
      expect(got).toMatchObject({ status: 'paid', approved_amount: GBP(40_000), paid_amount: GBP(40_000) });

      // Still well inside the cooling-off window, but a claim was paid: nothing comes back.
      expect((await shop.cancel(policy.id, { preview: true })).expect(200)).toMatchObject({
        preview: true,
        outcome: 'cancelled',
        rule: 'after_paid_claim',
        refund: { amount: 0, currency: 'GBP' },
        policy: { status: 'active' },
      });
      return got;
    });

    await s.step('the partner heard of every change, each showing the claim as the API does', async () => {
      await s.runJobs();
      // One delivery per claim change, each answered at once.
      expect(hooks.deliveries()).toHaveLength(5);
      const deliveries = hooks.events();
      expect(deliveries.map((d) => [d.type, d.body.data.status])).toEqual([
        ['claim.created', 'submitted'],
        ['claim.updated', 'submitted'], // the photo
        ['claim.updated', 'in_review'],
        ['claim.updated', 'approved'],
        ['claim.updated', 'paid'],
      ]);
      for (const d of deliveries)
        expect(d.body.data).toMatchObject({ id: claim.id, object: 'claim', policy_id: policy.id });
      expect(deliveries[1]?.body.data).toMatchObject({ attachments: [{ filename: 'hinge.png', size: 12 }] });
      expect(deliveries[4]?.body.data).toEqual(paid);
    });
  });
});
