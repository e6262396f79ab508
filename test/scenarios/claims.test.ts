import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEndpoint } from '../../src/core/webhooks/manage-endpoints.js';
import { renderStandard } from '../../src/http/native/webhook-format.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { BACKENDS } from '../helpers/database.js';

const DAY = 86_400_000;
const GBP = (amount: number) => ({ amount, currency: 'GBP' });

describe.each(BACKENDS)('a claim from filing to payment on %s', (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({ backend });
  });
  afterAll(() => t.close());

  it('bind, file, send a photo, approve, pay: the cooling-off refund is gone and the partner was told at every step', async () => {
    const partner = await t.newPartner();
    const tenant = { partnerId: partner.partnerId, mode: 'test' as const };
    const endpoint = await t.db.transaction((repos) =>
      createEndpoint({ repos, clock: t.clock, ids: t.deps.ids }, tenant, {
        url: 'https://claims.example.com/hooks',
        eventTypes: ['claim.created', 'claim.updated'],
      }),
    );
    const call = (method: 'GET' | 'POST', url: string, payload?: object) =>
      t.call({ method, url, key: partner.key, ...(payload ? { payload } : {}) });

    // A 1000 GBP laptop under product-protection: 30 days of cooling-off, claims up to 5000 GBP.
    const bound = await call('POST', '/v1/policies', {
      product_code: 'product-protection',
      term_months: 12,
      country: 'GB',
      item: { category: 'Laptop', brand: 'Lenovo', price: GBP(100_000) },
      policyholder: { first_name: 'Max', last_name: 'Mustermann', email: 'max@example.com' },
    });
    expect(bound.statusCode, bound.body).toBe(201);
    const policy = bound.json();
    const fullRefund = await call('POST', `/v1/policies/${policy.id}/cancel`, { preview: true });
    expect(fullRefund.json()).toMatchObject({
      rule: 'cooling_off',
      refund: { amount: policy.premium.total },
    });

    t.clock.advance(3 * DAY);
    const filed = await call('POST', `/v1/policies/${policy.id}/claims`, {
      incident_date: '2026-03-04',
      type: 'damage',
      description: 'Dropped from the desk; the hinge broke.',
      claimed_amount: GBP(45_000),
    });
    expect(filed.statusCode, filed.body).toBe(201);
    const claim = filed.json();

    const boundary = 'scenario-boundary';
    const photo = await t.call({
      method: 'POST',
      url: `/v1/claims/${claim.id}/attachments`,
      key: partner.key,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: Buffer.concat([
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="hinge.png"\r\nContent-Type: image/png\r\n\r\n`,
        ),
        Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]),
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]),
    });
    expect(photo.statusCode, photo.body).toBe(201);

    t.clock.advance(DAY);
    for (const [action, body] of [
      ['review', {}],
      ['approve', { approved_amount: GBP(40_000) }],
      ['pay', { paid_amount: GBP(40_000), note: 'bank transfer 2026-03-06' }],
    ] as const) {
      const res = await t.admin({
        method: 'POST',
        url: `/admin/v1/claims/${claim.id}/${action}`,
        payload: body,
      });
      expect(res.statusCode, res.body).toBe(200);
    }
    const paid = (await call('GET', `/v1/claims/${claim.id}`)).json();
    expect(paid).toMatchObject({ status: 'paid', approved_amount: GBP(40_000), paid_amount: GBP(40_000) });

    // Still well inside the cooling-off window, but a claim was paid: nothing comes back.
    const preview = await call('POST', `/v1/policies/${policy.id}/cancel`, { preview: true });
    expect(preview.statusCode, preview.body).toBe(200);
    expect(preview.json()).toMatchObject({
      preview: true,
      outcome: 'cancelled',
      rule: 'after_paid_claim',
      refund: { amount: 0, currency: 'GBP' },
      policy: { status: 'active' },
    });

    // One delivery job per claim change for the subscribed endpoint, each rendering the claim as the API shows it.
    const jobs = await t.db.read.jobs.list(tenant, {
      endpointId: endpoint.id,
      kind: 'webhook',
      limit: 50,
    });
    const deliveries = await Promise.all(
      jobs.map(async (job) => {
        const event = await t.db.read.notifications.get(tenant, String(job.eventId));
        return renderStandard(event!) as {
          type: string;
          data: { id: string; object: string; status: string };
        };
      }),
    );
    deliveries.reverse(); // jobs are listed newest first
    expect(deliveries.map((d) => [d.type, d.data.status])).toEqual([
      ['claim.created', 'submitted'],
      ['claim.updated', 'submitted'], // the photo
      ['claim.updated', 'in_review'],
      ['claim.updated', 'approved'],
      ['claim.updated', 'paid'],
    ]);
    for (const d of deliveries)
      expect(d.data).toMatchObject({ id: claim.id, object: 'claim', policy_id: policy.id });
    expect(deliveries[1]?.data).toMatchObject({ attachments: [{ filename: 'hinge.png', size: 12 }] });
    expect(deliveries[4]?.data).toEqual(paid);
  });
});
