import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSchedule } from '../../src/jobs/scheduler.js';
import { Worker } from '../../src/jobs/worker.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { BACKENDS } from '../helpers/database.js';
import { pdfText, type TestMailbox, testMailbox } from '../helpers/mail.js';
import { startReceiver } from '../helpers/receiver.js';
import { testHandlers } from '../helpers/worker.js';

/**
 * A web shop's year with one policy, through the public API only: offer, bind with cover starting in
 * two days, the scheduler starts cover, the partner is told and the customer gets a letter with the
 * certificate; the month's statement shows the premium; a late cancellation refunds the unused days and
 * shows in the next month's statement.
 */
describe.each(BACKENDS)('a web shop policy from offer to statement on %s', (backend) => {
  let t: TestApp;
  let mailbox: TestMailbox;
  let hooks: Awaited<ReturnType<typeof startReceiver>>;
  let worker: Worker;
  beforeAll(async () => {
    t = await buildTestApp({ backend, now: '2026-10-05T09:00:00Z' });
    mailbox = testMailbox(t.clock);
    hooks = await startReceiver(() => 200);
    worker = new Worker(t.db, t.clock, testHandlers(t.db, { mailer: mailbox.mailer }));
  });
  afterAll(async () => {
    await hooks.close();
    mailbox.remove();
    await t.close();
  });

  const run = async () => {
    await runSchedule(t.db, t.clock, t.deps.ids);
    await worker.drain();
  };

  it('lives through its lifecycle, and every party hears of it', async () => {
    const shop = await t.newPartner();
    const call = (method: 'GET' | 'POST', url: string, payload?: object) =>
      t.call({ method, url, key: shop.key, ...(payload ? { payload } : {}) });
    const endpoint = (
      await call('POST', '/v1/webhook-endpoints', { url: hooks.url, event_types: ['*'] })
    ).json();

    const offer = (
      await call('POST', '/v1/offers', {
        country: 'SE',
        items: [
          { ref: 'line-1', category: 'Tablet', brand: 'Apple', price: { amount: 850_000, currency: 'SEK' } },
        ],
      })
    ).json();
    const option = offer.items[0].options.find(
      (o: { product_code: string }) => o.product_code === 'refurbished-electronics',
    );
    const bound = await call('POST', '/v1/policies', {
      offer_id: offer.id,
      option_id: option.id,
      coverage_start: '2026-10-07T00:00:00Z',
      policyholder: {
        first_name: 'Glen',
        last_name: 'Clarkson',
        email: 'glen@example.com',
        personal_id: '19840726-1234',
      },
      refs: { order_id: 'ord-7589', line_id: 'line-1' },
    });
    expect(bound.statusCode, bound.body).toBe(201);
    const policy = bound.json();
    expect(policy.status).toBe('scheduled');

    await run();
    expect(mailbox.files()).toEqual([]);
    t.clock.set('2026-10-07T00:00:30Z');
    await run();
    expect((await call('GET', `/v1/policies/${policy.id}`)).json().status).toBe('active');

    const [letter] = await mailbox.all();
    expect(letter?.to).toMatchObject({ text: 'glen@example.com' });
    expect(letter?.subject).toContain(policy.id);
    const pdf = letter?.attachments.find((a) => a.contentType === 'application/pdf');
    expect(pdf).toBeDefined();
    const text = await pdfText(pdf!.content);
    expect(text).toContain(policy.id);
    expect(text).toContain('Glen Clarkson');
    const certificate = await call('GET', `/v1/policies/${policy.id}/certificate.pdf`);
    expect(certificate.headers['content-type']).toBe('application/pdf');

    t.clock.set('2026-11-02T00:00:00Z');
    const october = (await call('GET', '/v1/statements/2026-10')).json();
    expect(october.currencies).toEqual([
      expect.objectContaining({ currency: 'SEK', policies_written: 1, premiums_written: 69_900, refunds: 0 }),
    ]);

    // 26 days after binding, past the 14-day cooling-off: 365 days of cover, 26 used, 339 refunded.
    const cancelled = (await call('POST', `/v1/policies/${policy.id}/cancel`, {})).json();
    expect(cancelled).toMatchObject({
      rule: 'pro_rata',
      refund: { amount: Math.round((69_900 * 339) / 365) },
    });
    await run();
    t.clock.set('2026-12-01T00:00:00Z');
    const november = (await call('GET', '/v1/statements/2026-11')).json();
    expect(november.currencies).toEqual([
      expect.objectContaining({ currency: 'SEK', premiums_written: 0, refunds: cancelled.refund.amount }),
    ]);

    const verifier = new Webhook(endpoint.secret);
    const types = hooks.received.map(
      (r) => (verifier.verify(r.body, r.headers as Record<string, string>) as { type: string }).type,
    );
    expect(types).toEqual(['policy.created', 'policy.activated', 'policy.cancelled']);
  });
});
