import type { LightMyRequestResponse } from 'fastify';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CREDENTIALS } from '../../src/demo/catalog.js';
import { Worker } from '../../src/jobs/worker.js';
import type { Tables } from '../../src/storage/schema.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { findInconsistencies } from '../helpers/consistency.js';
import { BACKENDS } from '../helpers/database.js';
import { testMailbox } from '../helpers/mail.js';
import { startReceiver } from '../helpers/receiver.js';
import { testHandlers } from '../helpers/worker.js';
import {
  bindDirect,
  createOffer,
  expectProblem,
  optionOf,
  placedOrder,
  swedishHolder,
  tabletOffer,
} from '../http/support.js';
import { report } from './report.js';

/**
 * Several clients doing the same thing at the same moment (issue 12). On PostgreSQL the requests run in
 * concurrent transactions (a pool of 4 connections); on PGlite one lock serialises them, and the answers
 * must be the same. Exactly one wins each race; the others get the documented answer; and afterwards
 * the consistency query over the whole database finds nothing.
 */
const CLIENTS = 4;

let racesRun = 0;

/** The same request from several clients at the same moment. */
function atOnce(n: number, send: (i: number) => Promise<LightMyRequestResponse>) {
  racesRun += 1;
  return Promise.all(Array.from({ length: n }, (_, i) => send(i)));
}

const bodies = (answers: LightMyRequestResponse[]) =>
  answers.map((a) => `${a.statusCode} ${a.body}`).join('\n');

const OMOCOM = '/omocom/v1.3/electroshop/SE';
const COUNTERPART = '66006782-1921-4AE9-9E21-698BA45C99C9';

describe.each(BACKENDS)('races on %s', (backend) => {
  let t: TestApp;
  let racesBefore = 0;
  beforeAll(async () => {
    racesBefore = racesRun;
    // Omocom's sample insurance starts on 2022-10-03: the story is told two days before.
    t = await buildTestApp({ backend, now: '2022-10-01T08:00:00Z' });
  });
  afterAll(() => t?.close());

  const order2 = (orderId: string) =>
    placedOrder(orderId, {
      lines: [
        {
          line_id: 'l1',
          quantity: 2,
          item: { category: 'Tablet', price: { amount: 850_000, currency: 'SEK' } },
        },
        {
          line_id: 'l2',
          quantity: 2,
          protection: { protects_line_id: 'l1', product_code: 'refurbished-electronics', term_months: 12 },
        },
      ],
    });
  const policyIds = (a: LightMyRequestResponse): string[] =>
    a
      .json()
      .policies.map((p: { id: string }) => p.id)
      .sort();
  const history = async (key: string, policyId: string): Promise<string[]> => {
    const res = await t.call({ method: 'GET', url: `/v1/policies/${policyId}/events`, key });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().data.map((e: { type: string }) => e.type);
  };
  const policiesOf = async (key: string, query = ''): Promise<{ id: string; status: string }[]> =>
    (await t.call({ method: 'GET', url: `/v1/policies?limit=100${query}`, key })).json().data;

  describe('binding', () => {
    it('the same order placed by four clients at once, without a key, binds each unit once; all answer alike', async () => {
      const { key } = await t.newPartner();
      const order = order2('race-order-1');
      const answers = await atOnce(CLIENTS, () =>
        t.call({ method: 'POST', url: '/v1/order-events', key, payload: order }),
      );
      for (const a of answers) expect(a.statusCode, a.body).toBe(201);
      const first = policyIds(answers[0]!);
      expect(first).toHaveLength(2);
      for (const a of answers) expect(policyIds(a)).toEqual(first);
      expect(await policiesOf(key, '&order_id=race-order-1')).toHaveLength(2);
    });

    it('the same order placed under four keys at once binds each unit once; all answer alike', async () => {
      const { key } = await t.newPartner();
      const order = order2('race-order-2');
      const answers = await atOnce(CLIENTS, (i) =>
        t.call({
          method: 'POST',
          url: '/v1/order-events',
          key,
          headers: { 'idempotency-key': `race-order-2-${i}` },
          payload: order,
        }),
      );
      for (const a of answers) expect(a.statusCode, a.body).toBe(201);
      for (const a of answers) expect(policyIds(a)).toEqual(policyIds(answers[0]!));
      expect(await policiesOf(key, '&order_id=race-order-2')).toHaveLength(2);
    });

    it('the same key sent four times at once binds once: the others are in flight or replay the answer', async () => {
      const { key } = await t.newPartner();
      const answers = await atOnce(CLIENTS, () =>
        t.call({
          method: 'POST',
          url: '/v1/policies',
          key,
          headers: { 'idempotency-key': 'race-same-key' },
          payload: {
            product_code: 'product-protection',
            term_months: 12,
            country: 'GB',
            item: { category: 'Laptop', price: { amount: 100_000, currency: 'GBP' } },
            policyholder: { first_name: 'Ada', last_name: 'Lovelace', email: 'ada@example.com' },
          },
        }),
      );
      const first = answers.filter((a) => a.statusCode === 201 && !a.headers['idempotent-replayed']);
      expect(first, bodies(answers)).toHaveLength(1);
      for (const a of answers.filter((x) => x !== first[0])) {
        if (a.statusCode === 201) {
          expect(a.headers['idempotent-replayed']).toBe('true');
          expect(a.json()).toEqual(first[0]!.json());
        } else {
          expectProblem(a, 409, { code: 'idempotency_key_in_flight', field: 'Idempotency-Key' });
        }
      }
      expect(await policiesOf(key)).toHaveLength(1);
    });

    it('one quantity-1 option bound under four keys at once: one policy, the others quantity_exceeded', async () => {
      const { key } = await t.newPartner();
      const offer = await createOffer(t, key, tabletOffer(1));
      const option = optionOf(offer, 'refurbished-electronics');
      const answers = await atOnce(CLIENTS, (i) =>
        t.call({
          method: 'POST',
          url: '/v1/policies',
          key,
          headers: { 'idempotency-key': `race-option-${i}` },
          payload: { offer_id: offer.id, option_id: option.id, policyholder: swedishHolder() },
        }),
      );
      expect(
        answers.filter((a) => a.statusCode === 201),
        bodies(answers),
      ).toHaveLength(1);
      for (const lost of answers.filter((a) => a.statusCode !== 201)) {
        expectProblem(lost, 422, { code: 'quantity_exceeded', field: 'option_id' });
      }
      expect(await policiesOf(key)).toHaveLength(1);
    });

    it('a quantity-2 option bound by four clients at once: two policies, the others quantity_exceeded', async () => {
      const { key } = await t.newPartner();
      const offer = await createOffer(t, key, tabletOffer(2));
      const option = optionOf(offer, 'refurbished-electronics');
      const answers = await atOnce(CLIENTS, () =>
        t.call({
          method: 'POST',
          url: '/v1/policies',
          key,
          payload: { offer_id: offer.id, option_id: option.id, policyholder: swedishHolder() },
        }),
      );
      expect(
        answers.filter((a) => a.statusCode === 201),
        bodies(answers),
      ).toHaveLength(2);
      for (const lost of answers.filter((a) => a.statusCode !== 201)) {
        expectProblem(lost, 422, { code: 'quantity_exceeded', field: 'option_id' });
      }
      expect(await policiesOf(key)).toHaveLength(2);
    });
  });

  describe('ending one policy', () => {
    it('four cancellations of one policy at once: one cancels, the others are refused as a conflict', async () => {
      const { key } = await t.newPartner();
      const policy = await bindDirect(t, key);
      const answers = await atOnce(CLIENTS, () =>
        t.call({ method: 'POST', url: `/v1/policies/${policy.id}/cancel`, key, payload: {} }),
      );
      const won = answers.filter((a) => a.statusCode === 200);
      expect(won, bodies(answers)).toHaveLength(1);
      expect(won[0]!.json()).toMatchObject({ outcome: 'cancelled', policy: { status: 'cancelled' } });
      for (const lost of answers.filter((a) => a.statusCode !== 200)) {
        expectProblem(lost, 409, { code: 'invalid_transition', field: 'policy_id' });
      }
      expect(await history(key, policy.id)).toEqual(['bound', 'cancelled']);
    });

    it('one previewed cancellation confirmed four times at once: it ends once, and every answer is the same', async () => {
      const { key } = await t.newPartner();
      const policy = await bindDirect(t, key);
      const preview = await t.call({
        method: 'POST',
        url: `/v1/policies/${policy.id}/cancel`,
        key,
        payload: { preview: true },
      });
      expect(preview.statusCode, preview.body).toBe(200);
      const url = `/v1/policies/${policy.id}/cancellations/${preview.json().cancellation_id}/confirm`;
      const answers = await atOnce(CLIENTS, () => t.call({ method: 'POST', url, key }));
      for (const a of answers) expect(a.statusCode, a.body).toBe(200);
      for (const a of answers) expect(a.json()).toEqual(answers[0]!.json());
      expect(answers[0]!.json()).toMatchObject({
        refund: preview.json().refund,
        policy: { status: 'cancelled' },
      });
      expect(await history(key, policy.id)).toEqual(['bound', 'cancelled']);
    });

    it('one order line refunded by four clients at once: its policy ends once, the others end nothing', async () => {
      const { key } = await t.newPartner();
      const placed = await t.call({
        method: 'POST',
        url: '/v1/order-events',
        key,
        payload: placedOrder('race-refund'),
      });
      expect(placed.statusCode, placed.body).toBe(201);
      const [policyId] = policyIds(placed);
      const refund = { type: 'refunded', order_id: 'race-refund', lines: [{ line_id: 'l1', quantity: 1 }] };
      const answers = await atOnce(CLIENTS, () =>
        t.call({ method: 'POST', url: '/v1/order-events', key, payload: refund }),
      );
      for (const a of answers) expect(a.statusCode, a.body).toBe(201);
      expect(answers.map((a) => a.json().policies.length).sort()).toEqual([0, 0, 0, 1]);
      expect(await history(key, policyId!)).toEqual(['bound', 'cancelled']);
    });

    it('a cancellation, a confirmed preview and a refund of one policy at once: one of them ends it', async () => {
      const { key } = await t.newPartner();
      const placed = await t.call({
        method: 'POST',
        url: '/v1/order-events',
        key,
        payload: placedOrder('race-mix'),
      });
      const [policyId] = policyIds(placed);
      const preview = await t.call({
        method: 'POST',
        url: `/v1/policies/${policyId}/cancel`,
        key,
        payload: { preview: true },
      });
      const confirmUrl = `/v1/policies/${policyId}/cancellations/${preview.json().cancellation_id}/confirm`;
      const refund = { type: 'refunded', order_id: 'race-mix', lines: [{ line_id: 'l1', quantity: 1 }] };
      const [cancel, confirm, refunded] = await Promise.all([
        t.call({ method: 'POST', url: `/v1/policies/${policyId}/cancel`, key, payload: {} }),
        t.call({ method: 'POST', url: confirmUrl, key }),
        t.call({ method: 'POST', url: '/v1/order-events', key, payload: refund }),
      ]);
      const ended = [
        cancel!.statusCode === 200,
        confirm!.statusCode === 200,
        refunded!.json().policies?.length === 1,
      ];
      expect(ended.filter(Boolean), bodies([cancel!, confirm!, refunded!])).toHaveLength(1);
      if (cancel!.statusCode !== 200) expectProblem(cancel!, 409, { code: 'invalid_transition' });
      if (confirm!.statusCode !== 200) expectProblem(confirm!, 409, { code: 'invalid_transition' });
      expect(refunded!.statusCode, refunded!.body).toBe(201);
      expect(await history(key, policyId!)).toEqual(['bound', 'cancelled']);
    });
  });

  describe('Omocom', () => {
    let token = '';
    const omocom = (method: 'GET' | 'POST', path: string, body?: unknown) =>
      t.app.inject({
        method,
        url: `${OMOCOM}${path}`,
        headers: { authorization: `Bearer ${token}` },
        ...(body === undefined ? {} : { payload: body as object }),
      });

    async function quotedInsurance(n: number): Promise<string> {
      const user = await omocom('POST', '/Users', {
        MarketName: 'SE',
        UserId: `race-user-${n}-${Math.random().toString(36).slice(2, 8)}`,
        FirstName: 'Glen',
        LastName: 'Clarkson',
        SocialSecurityNumber: { SSN: `19840726-${2000 + n}`, Country: 'SE' },
        EmailAddress: `glen.race.${n}@example.com`,
        Culture: 'sv',
      });
      expect(user.statusCode, user.body).toBe(201);
      const object = await omocom('POST', '/InsurableObjects', {
        objectId: '',
        objectCategory: 'Tablet',
        ownerHandle: user.json().handle,
        shortDescription: 'iPad',
      });
      expect(object.statusCode, object.body).toBe(201);
      const insurance = await omocom('POST', `/Insurances/${object.json().handle}`, {
        product: 'Refurbished Electronics Insurance',
        insuranceStartDateTime: '2022-10-03T11:36:48.0000000+01:00',
        counterpartHandle: COUNTERPART,
        properties: [{ name: 'PurchasePrice', monetaryValue: { amount: 8500, currency: 'SEK' } }],
      });
      expect(insurance.statusCode, insurance.body).toBe(201);
      return insurance.json().insuranceId;
    }

    beforeAll(async () => {
      const r = await t.app.inject({
        method: 'POST',
        url: '/omocom/oauth2/token',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: `grant_type=client_credentials&client_id=${DEMO_CREDENTIALS.oauth.client_id}&client_secret=${DEMO_CREDENTIALS.oauth.client_secret}`,
      });
      token = r.json().access_token;
    });

    it('an insurance accepted four times at once is bound once; every answer is the bound insurance', async () => {
      const id = await quotedInsurance(1);
      const answers = await atOnce(CLIENTS, () => omocom('POST', `/Insurances/${id}/accept`, []));
      for (const a of answers) expect(a.statusCode, a.body).toBe(200);
      for (const a of answers) expect(a.json()).toEqual(answers[0]!.json());
      const bound = await sql<{ n: number }>`
        SELECT count(*)::int AS n FROM policy_events
        WHERE type = 'bound' AND policy_id = (
          SELECT target_id FROM aliases WHERE kind = 'omocom_insurance' AND alias = ${id})`.execute(
        t.db.kysely,
      );
      expect(bound.rows[0]?.n).toBe(1);
    });

    it('an insurance cancelled four times at once is cancelled once; the others are refused as a conflict', async () => {
      const id = await quotedInsurance(2);
      expect((await omocom('POST', `/Insurances/${id}/accept`, [])).statusCode).toBe(200);
      const answers = await atOnce(CLIENTS, () => omocom('POST', `/Insurances/${id}/cancel`, {}));
      expect(
        answers.filter((a) => a.statusCode === 200),
        bodies(answers),
      ).toHaveLength(1);
      for (const lost of answers.filter((a) => a.statusCode !== 200)) {
        expect(lost.statusCode, lost.body).toBe(409);
        expect(lost.json()).toMatchObject({ code: 'invalid_transition' });
      }
    });

    it('a quoted insurance accepted twice and cancelled twice at once: one cancellation ends it, whichever came first', async () => {
      const id = await quotedInsurance(3);
      const [accept1, cancel1, accept2, cancel2] = await Promise.all([
        omocom('POST', `/Insurances/${id}/accept`, []),
        omocom('POST', `/Insurances/${id}/cancel`, {}),
        omocom('POST', `/Insurances/${id}/accept`, []),
        omocom('POST', `/Insurances/${id}/cancel`, {}),
      ]);
      const all = [accept1!, cancel1!, accept2!, cancel2!];
      const cancels = [cancel1!, cancel2!];
      expect(
        cancels.filter((a) => a.statusCode === 200),
        bodies(all),
      ).toHaveLength(1);
      for (const a of all.filter((x) => x.statusCode !== 200)) {
        expect(a.statusCode, a.body).toBe(409);
        expect(a.json()).toMatchObject({ code: 'invalid_transition' });
      }
      // Accepted before the cancellation, it is cancelled; cancelled first, it was never bound: voided.
      const accepted = [accept1!, accept2!].some((a) => a.statusCode === 200);
      const ended = cancels.find((a) => a.statusCode === 200)!.json();
      expect(ended.state).toBe(accepted ? 'cancelled' : 'voided');
      expect((await omocom('GET', `/Insurances/${id}`)).json().state).toBe(ended.state);
    });
  });

  describe('what may exist once, taken by four requests at once', () => {
    const statuses = (answers: LightMyRequestResponse[]) => answers.map((a) => a.statusCode).sort();

    it('one console user address: one is created, the others already exist', async () => {
      const email = `race.${backend}.${Date.now()}@insurer.test`;
      const answers = await atOnce(CLIENTS, () =>
        t.admin({
          method: 'POST',
          url: '/admin/v1/console-users',
          payload: { email, name: 'Rae Race', password: 'a long enough password' },
        }),
      );
      expect(statuses(answers), bodies(answers)).toEqual([201, 409, 409, 409]);
    });

    it('one shop plan id for four plans: one is set, the others are told it names another plan', async () => {
      const { code } = await t.newPartner();
      const plans: [string, number][] = [
        ['tech-insurance', 12],
        ['tech-insurance', 24],
        ['refurbished-electronics', 12],
        ['garantie-1j', 12],
      ];
      const answers = await atOnce(CLIENTS, (i) =>
        t.admin({
          method: 'POST',
          url: `/admin/v1/partners/${code}/merchant-plans`,
          payload: { merchant_product_id: 'pl-race', product_code: plans[i]![0], term_months: plans[i]![1] },
        }),
      );
      expect(
        answers.filter((a) => a.statusCode < 300),
        bodies(answers),
      ).toHaveLength(1);
      expect(
        answers.filter((a) => a.statusCode === 409),
        bodies(answers),
      ).toHaveLength(3);
    });

    it('one order checked out from four carts: one cart is its, the others are refused', async () => {
      // The demo partner: it answers EUR from one market (a new one sells in two EUR markets).
      const cartIds = Array.from({ length: CLIENTS }, (_, i) => `race-cart-${i}`);
      for (const cart_id of cartIds) {
        const cart = await t.call({
          method: 'POST',
          url: '/hakuna/sandbox/carts',
          payload: { cart_id, user_session_id: 's-race', cart_currency: 'eur', line_items: [] },
        });
        expect(cart.statusCode, cart.body).toBe(200);
      }
      const answers = await atOnce(CLIENTS, (i) =>
        t.call({
          method: 'POST',
          url: '/hakuna/sandbox/checkouts',
          payload: { cart_id: cartIds[i], user_session_id: 's-race', order_id: 'order-race-1' },
        }),
      );
      expect(statuses(answers), bodies(answers)).toEqual([200, 409, 409, 409]);
    });
  });

  it('two workers on one outbox deliver every event once to every endpoint', async () => {
    const { key } = await t.newPartner();
    const receivers = [await startReceiver(), await startReceiver()];
    try {
      for (const r of receivers) {
        const created = await t.call({
          method: 'POST',
          url: '/v1/webhook-endpoints',
          key,
          payload: { url: r.url, event_types: ['policy.created'] },
        });
        expect(created.statusCode, created.body).toBe(201);
      }
      const bound = await Promise.all(Array.from({ length: 12 }, () => bindDirect(t, key)));
      const handlers = testHandlers(t.db, { mailer: testMailbox(t.clock).mailer });
      const workers = [0, 1].map(() => new Worker(t.db, t.clock, handlers, { concurrency: 3 }));
      await Promise.all(workers.map((w) => w.drain()));
      for (const r of receivers) {
        const ids = r.received.map((d) => String(d.headers['webhook-id']));
        expect(ids).toHaveLength(bound.length);
        expect(new Set(ids).size).toBe(bound.length);
        const subjects = r.received.map(
          (d) => JSON.parse(d.body).data.object?.id ?? JSON.parse(d.body).data.id,
        );
        expect(new Set(subjects)).toEqual(new Set(bound.map((p) => p.id)));
      }
    } finally {
      for (const r of receivers) await r.close();
    }
  });

  it('afterwards, the consistency query over the whole database finds nothing', async () => {
    const found = await findInconsistencies(t.db.kysely);
    report('races', backend, {
      races: racesRun - racesBefore,
      clients: CLIENTS,
      inconsistencies: Object.keys(found).length,
    });
    expect(found).toEqual({});
  });

  it('the consistency query finds each kind of damage (written by hand, then rolled back)', async () => {
    const rollback = new Error('rollback');
    const found = await t.db.kysely
      .transaction()
      .execute(async (trx) => {
        await damage(trx);
        throw Object.assign(rollback, { found: await findInconsistencies(trx) });
      })
      .catch((e: { found?: unknown }) => e.found);
    expect(Object.keys(found as object).sort()).toEqual([
      'event queued twice for an endpoint',
      'gap in a policy history',
      'option bound beyond its quantity',
      'order line protected beyond its quantity',
      'policy ended twice',
      'refund above what was collected',
    ]);
    expect(await findInconsistencies(t.db.kysely)).toEqual({});
  });
});

/** Breaks every invariant once, around the constraints that keep them: a copy of a placed policy, … */
async function damage(trx: Kysely<Tables>): Promise<void> {
  const copy = (where: ReturnType<typeof sql>) => sql`
    INSERT INTO policies (partner_id, mode, id, product_code, term_months, country, language, status,
      policyholder, item, currency, premium_total, premium, cover_start, offer_id, offer_option_id,
      order_id, refs, created_at, updated_at)
    SELECT partner_id, mode, id || '-copy', product_code, term_months, country, language, status,
      policyholder, item, currency, premium_total, premium, cover_start, offer_id, offer_option_id,
      order_id, refs, created_at, updated_at
    FROM policies WHERE ${where} LIMIT 1`;
  // A second policy for a placed order's unit and for an option's unit, without a unit (and no history).
  await copy(sql`order_unit IS NOT NULL AND status <> 'cancelled'`).execute(trx);
  await copy(sql`option_unit IS NOT NULL AND status <> 'voided'`).execute(trx);
  // A refund above the premium.
  await sql`UPDATE policies SET refund = jsonb_build_object('amount', premium_total + 1, 'currency', currency)
    WHERE id = (SELECT id FROM policies WHERE status = 'cancelled' ORDER BY id LIMIT 1)`.execute(trx);
  // A cancelled policy cancelled again.
  await sql`INSERT INTO policy_events (partner_id, mode, id, policy_id, type, from_status, to_status, occurred_at, data)
    SELECT partner_id, mode, id || '-again', policy_id, type, 'cancelled', 'cancelled', occurred_at, data
    FROM policy_events WHERE type = 'cancelled' ORDER BY id LIMIT 1`.execute(trx);
  // One delivery queued twice.
  await sql`INSERT INTO jobs (partner_id, mode, id, kind, payload, status, run_at, attempts, max_attempts,
      endpoint_id, event_id, created_at)
    SELECT partner_id, mode, id || '-again', kind, payload, 'pending', run_at, 0, max_attempts,
      endpoint_id, event_id, created_at
    FROM jobs WHERE event_id IS NOT NULL AND endpoint_id IS NOT NULL ORDER BY id LIMIT 1`.execute(trx);
}
