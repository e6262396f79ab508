import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../helpers/database.js';
import { pdfText } from '../helpers/mail.js';
import { type Scenario, startScenario } from '../helpers/scenario.js';
import type { Json } from '../helpers/scenario-answer.js';

/**
 * A web shop's year with one policy, through the public API only: offer, bind with cover starting in
 * two days (the customer gets the letter confirming it, with the certificate, at once), the scheduler
 * starts cover and the partner is told; the month's statement shows the premium; a late cancellation refunds the unused days and
 * shows in the next month's statement.
 */
describe.each(BACKENDS)('a web shop policy from offer to statement on %s', (backend) => {
  let s: Scenario;
  beforeAll(async () => {
    s = await startScenario({ backend, now: '2026-10-05T09:00:00Z' });
  });
  afterAll(() => s.close());

  it('lives through its lifecycle, and every party hears of it', async () => {
    const shop = await s.shop();
    await shop.subscribe(['*']);
    const policy = await s.step('day 0: a tablet is sold with cover from 7 October', async () => {
      const tablet = { category: 'Tablet', brand: 'Apple', price: { amount: 850_000, currency: 'SEK' } };
      const offer = (await shop.offer({ country: 'SE', items: [{ ref: 'line-1', ...tablet }] })).body;
      const option = offer.items[0].options.find((o: Json) => o.product_code === 'refurbished-electronics');
      const bound = (
        await shop.bind({
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
        })
      ).expect(201);
      expect(bound.status).toBe('scheduled');
      await s.runJobs();
      // Bought now for cover from 7 October: confirmed to the customer now, with its start.
      const [letter, ...more] = await s.mail.all();
      expect(more).toEqual([]);
      expect(letter?.to).toMatchObject({ text: 'glen@example.com' });
      expect(letter?.subject).toContain(bound.id);
      expect(letter?.text).toContain('bekräftad och gäller från');
      return bound;
    });

    await s.travelTo('2026-10-07T00:00:30Z');
    await s.step(
      'cover starts: the shop is told; the customer has the certificate, and no second letter',
      async () => {
        expect((await shop.policy(policy.id)).body.status).toBe('active');
        expect(s.webhooks.ofType('policy.activated')).toHaveLength(1);
        const [letter, ...more] = await s.mail.all();
        expect(more).toEqual([]);
        expect(letter?.to).toMatchObject({ text: 'glen@example.com' });
        expect(letter?.subject).toContain(policy.id);
        const pdf = letter?.attachments.find((a) => a.contentType === 'application/pdf');
        expect(pdf).toBeDefined();
        const text = await pdfText(pdf!.content);
        expect(text).toContain(policy.id);
        expect(text).toContain('Glen Clarkson');
        expect((await shop.certificate(policy.id)).headers['content-type']).toBe('application/pdf');
      },
    );

    await s.travelTo('2026-11-02T00:00:00Z');
    const refund = await s.step("October's statement; the customer cancels after cooling-off", async () => {
      expect((await shop.statement('2026-10')).body.currencies).toEqual([
        expect.objectContaining({
          currency: 'SEK',
          policies_written: 1,
          premiums_written: 69_900,
          refunds: 0,
        }),
      ]);
      // 26 days after binding, past the 14-day cooling-off: 365 days of cover, 26 used, 339 refunded.
      const cancelled = (await shop.cancel(policy.id)).body;
      expect(cancelled).toMatchObject({
        rule: 'pro_rata',
        refund: { amount: Math.round((69_900 * 339) / 365) },
      });
      await s.runJobs();
      return cancelled.refund.amount as number;
    });

    await s.travelTo('2026-12-01T00:00:00Z');
    await s.step("November's statement shows the refund; the shop heard of every change", async () => {
      expect((await shop.statement('2026-11')).body.currencies).toEqual([
        expect.objectContaining({ currency: 'SEK', premiums_written: 0, refunds: refund }),
      ]);
      expect(s.webhooks.deliveries().map((d) => d.type)).toEqual([
        'policy.created',
        'policy.activated',
        'policy.cancelled',
      ]);
    });
  });
});
