import { readFile } from 'node:fs/promises';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Policy } from '../../src/core/policies/policy.js';
import type { Premium } from '../../src/core/pricing/premium.js';
import { revivePolicy } from '../../src/core/webhooks/snapshots.js';
import type { Database } from '../../src/storage/database.js';
import { BACKENDS, testDatabase } from '../helpers/database.js';
import { buildOffer, buildPremium, givenPartner, givenPolicy, idSource, T0, tenantOf } from './builders.js';

/**
 * Migration 011 rewrites stored JSON of core types into the core's camelCase once. The upgrade fixture
 * (upgrade.test.ts) proves it on a real data directory; here each column the fixture does not reach is
 * written as the release before 011 wrote it, migrated, and read back in today's shape.
 */
const migration = () =>
  readFile(new URL('../../src/storage/migrations/011_camel_case_json.sql', import.meta.url), 'utf8');

/** A premium as stored before 011: its tax lines' `rate_bp`. */
const oldPremium = (p: Premium) => ({
  ...p,
  taxes: p.taxes.map(({ rateBp, ...t }) => ({ ...t, rate_bp: rateBp })),
});

const oldPolicyholder = {
  first_name: 'Ada',
  last_name: 'Lovelace',
  email: 'ada@example.com',
  address: { line1: 'Storgatan 1', postal_code: '11122', city: 'Stockholm' },
  external_id: 'cust-1',
};
const policyholder = {
  firstName: 'Ada',
  lastName: 'Lovelace',
  email: 'ada@example.com',
  address: { line1: 'Storgatan 1', postalCode: '11122', city: 'Stockholm' },
  externalId: 'cust-1',
};

function oldItem(item: Policy['item']) {
  const { serialNumber, purchasedAt, ...rest } = item;
  return { ...rest, serial_number: serialNumber, purchased_at: purchasedAt?.toISOString() };
}

describe.each(BACKENDS)('migration 011 on %s: stored JSON of the release before', (backend) => {
  let db: Database;
  beforeAll(async () => {
    db = await testDatabase(backend);
  });
  afterAll(() => db?.close());

  it('policies, their history, outbox events, order events, jobs and offers read back in camelCase', async () => {
    const { ids } = idSource();
    const partner = await givenPartner(db, ids);
    const tenant = tenantOf(partner, 'live');
    const { policy } = await givenPolicy(db, ids, tenant, T0, {
      policyholder,
      refs: { orderId: 'order-1', lineId: 'l1', planLineId: 'l2', booking_id: 'P6AQR-WAX3Q-INS' },
    });
    const at = (id: string) => sql`partner_id = ${partner.id} AND id = ${id}`;
    const json = (v: unknown) => JSON.stringify(v);

    // The policy's own columns.
    await sql`UPDATE policies SET
      policyholder = ${json(oldPolicyholder)}::jsonb,
      item = ${json(oldItem(policy.item))}::jsonb,
      refs = ${json({ order_id: 'order-1', line_id: 'l1', plan_line_id: 'l2', booking_id: 'P6AQR-WAX3Q-INS' })}::jsonb,
      premium = ${json(oldPremium(policy.premium))}::jsonb
      WHERE ${at(policy.id)}`.execute(db.kysely);

    // A modification in the history, as 'modified' wrote it.
    const before = buildPremium(39900);
    const modifiedId = ids.next('policyEvent');
    await sql`INSERT INTO policy_events (partner_id, mode, id, policy_id, type, from_status, to_status, occurred_at, data)
      VALUES (${partner.id}, 'live', ${modifiedId}, ${policy.id}, 'modified', 'active', 'active', ${T0},
        ${json({ previous_premium: oldPremium(before), premium: oldPremium(policy.premium), price_diff: 10000, change_id: 'chg_1' })}::jsonb)`.execute(
      db.kysely,
    );

    // An outbox event with its policy snapshot, as publish wrote it.
    const eventId = ids.next('event');
    const snapshot = {
      ...JSON.parse(JSON.stringify(policy)),
      policyholder: oldPolicyholder,
      item: oldItem(policy.item),
      refs: { order_id: 'order-1', line_id: 'l1', plan_line_id: 'l2', booking_id: 'P6AQR-WAX3Q-INS' },
      premium: oldPremium(policy.premium),
    };
    await sql`INSERT INTO events (partner_id, mode, id, type, subject_id, data, occurred_at)
      VALUES (${partner.id}, 'live', ${eventId}, 'policy.created', ${policy.id},
        ${json({ policy: snapshot, policy_event: 'bound' })}::jsonb, ${T0})`.execute(db.kysely);

    // An order placed, as the native API's order event was stored.
    const orderEventId = ids.next('orderEvent');
    const placed = {
      type: 'order_placed',
      order_id: 'order-1',
      occurred_at: T0.toISOString(),
      country: 'SE',
      customer: { ...oldPolicyholder, personal_id: '19840726-1234' },
      refs: { basket_id: 'b-1', receipt: 'R-1' },
      lines: [
        { line_id: 'l1', quantity: 1, item: oldItem(policy.item) },
        {
          line_id: 'l2',
          quantity: 1,
          protection: { protects_line_id: 'l1', product_code: 'tech-insurance', term_months: 12 },
        },
      ],
    };
    await sql`INSERT INTO order_events (partner_id, mode, id, order_id, type, occurred_at, payload, policy_ids, created_at)
      VALUES (${partner.id}, 'live', ${orderEventId}, 'order-1', 'order_placed', ${T0}, ${json(placed)}::jsonb,
        ${json([policy.id])}::jsonb, ${T0})`.execute(db.kysely);

    // A letter job.
    const jobId = ids.next('job');
    await db.read.jobs.enqueue({
      partnerId: partner.id,
      mode: 'live',
      id: jobId,
      kind: 'policy_letter',
      payload: { policyId: policy.id },
      runAt: T0,
      maxAttempts: 3,
    });
    await sql`UPDATE jobs SET payload = ${json({ policy_id: policy.id })}::jsonb WHERE ${at(jobId)}`.execute(
      db.kysely,
    );

    // An offer: its items' insured items and options' premiums, fields and documents (the catalog
    // copies a stored option carried then, which reading today leaves out).
    const offer = buildOffer(ids, tenant, T0);
    await db.read.offers.insert(offer);
    const oldItems = offer.items.map((i) => ({
      ...i,
      item: oldItem(i.item),
      options: i.options.map(({ unitPremium, ...o }) => ({
        ...o,
        productName: 'Tech Insurance',
        coverage: 'accidental_damage',
        unitPremium: oldPremium(unitPremium),
        premium: oldPremium(buildPremium(unitPremium.total * i.quantity)),
        policyholderFields: { name: 'required', personal_id: 'not_collected', email: 'required' },
        documents: { terms_url: 'https://example.test/terms.pdf' },
      })),
    }));
    await sql`UPDATE offers SET items = ${json(oldItems)}::jsonb WHERE ${at(offer.id)}`.execute(db.kysely);
    const stored = await sql<{ items: unknown }>`SELECT items FROM offers WHERE ${at(offer.id)}`.execute(
      db.kysely,
    );
    expect(JSON.stringify(stored.rows[0]?.items)).toContain('personal_id');

    await sql.raw(await migration()).execute(db.kysely);

    expect(await db.read.policies.get(tenant, policy.id)).toEqual(policy);
    const modified = (await db.read.policies.history(tenant, policy.id)).find((e) => e.id === modifiedId);
    expect(modified?.data).toEqual({
      previousPremium: before,
      premium: policy.premium,
      priceDiff: 10000,
      changeId: 'chg_1',
    });
    const event = await db.read.notifications.get(tenant, eventId);
    expect(event?.data.policyEvent).toBe('bound');
    expect(revivePolicy(event?.data.policy)).toEqual(policy);
    const [order] = await db.read.orderEvents.list(tenant, 'order-1');
    expect(order?.payload).toEqual({
      type: 'order_placed',
      orderId: 'order-1',
      occurredAt: T0,
      country: 'SE',
      customer: { ...policyholder, personalId: '19840726-1234' },
      refs: { basketId: 'b-1', receipt: 'R-1' },
      lines: [
        { lineId: 'l1', quantity: 1, item: policy.item },
        {
          lineId: 'l2',
          quantity: 1,
          protection: { protectsLineId: 'l1', productCode: 'tech-insurance', termMonths: 12 },
        },
      ],
    });
    expect((await db.read.jobs.get(tenant, jobId))?.payload).toEqual({ policyId: policy.id });
    expect(await db.read.offers.get(tenant, offer.id)).toEqual(offer);
  });
});
