import { readFile } from 'node:fs/promises';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/storage/database.js';
import { BACKENDS, testDatabase } from '../helpers/database.js';
import { givenPartner, givenPolicy, idSource, T0, tenantOf } from './builders.js';

/**
 * Migration 009 moves XCover's pending cancellations out of booking JSON into the core's policy
 * changes. Its conversion (the statements after the schema changes) is run here on a booking written as
 * the release before it wrote them.
 */
async function conversion(): Promise<string> {
  const file = await readFile(
    new URL('../../src/storage/migrations/009_cancellation_changes.sql', import.meta.url),
    'utf8',
  );
  return file.slice(file.indexOf('-- XCover kept pending cancellations'));
}

describe.each(BACKENDS)('migration 009 on %s: pending XCover cancellations', (backend) => {
  let db: Database;
  beforeAll(async () => {
    db = await testDatabase(backend);
  });
  afterAll(() => db?.close());

  it('become a group of cancellation changes under the same id, and leave the booking', async () => {
    const { ids } = idSource();
    const partner = await givenPartner(db, ids);
    const tenant = tenantOf(partner, 'live');
    const { policy: a } = await givenPolicy(db, ids, tenant, T0);
    const { policy: b } = await givenPolicy(db, ids, tenant, T0);
    const confirmBefore = '2026-03-03T10:00:00.000Z';
    await db.read.dialectRecords.insert(tenant, {
      kind: 'xcover_booking',
      handle: 'AAAAA-BBBBB-INS',
      key: null,
      ref: null,
      email: null,
      data: {
        quotes: [
          { id: 'q-a', policyId: a.id, instalmentPlan: null },
          { id: 'q-b', policyId: b.id, instalmentPlan: null },
        ],
        cancellations: {
          'u7Thv-d6C5P-8FAQW-CCL': { quoteIds: ['q-b', 'q-a'], reason: 'moved', confirmBefore },
        },
        updates: {},
        renewals: {},
      },
      personalId: null,
      createdAt: T0,
    });

    await sql.raw(await conversion()).execute(db.kysely);

    const group = await db.read.policyChanges.group(tenant, 'u7Thv-d6C5P-8FAQW-CCL');
    expect(group.map((c) => [c.policyId, c.kind, c.status, c.cancellation])).toEqual([
      [b.id, 'cancellation', 'pending', { reason: 'moved', quote: null }],
      [a.id, 'cancellation', 'pending', { reason: 'moved', quote: null }],
    ]);
    expect(group[0]).toMatchObject({
      expiresAt: new Date(confirmBefore),
      createdAt: T0,
      premium: b.premium,
      item: b.item,
      coverageEnd: b.coverageEnd,
    });
    const booking = await db.read.dialectRecords.get(tenant, 'xcover_booking', 'AAAAA-BBBBB-INS');
    expect(booking?.data).not.toHaveProperty('cancellations');
    expect(booking?.data.quotes).toHaveLength(2);
  });
});
