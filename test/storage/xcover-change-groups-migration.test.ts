import { readFile } from 'node:fs/promises';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Policy } from '../../src/core/policies/policy.js';
import type { PolicyChange } from '../../src/core/policies/policy-change.js';
import type { Database } from '../../src/storage/database.js';
import { BACKENDS, testDatabase } from '../helpers/database.js';
import { givenPartner, givenPolicy, idSource, T0, tenantOf } from './builders.js';

/**
 * Migration 017 moves XCover's pending updates and renewals out of booking JSON: each change takes the
 * group id the booking showed, and the booking keeps neither them nor each quote's renewal policy.
 */
describe.each(BACKENDS)('migration 017 on %s: XCover update and renewal groups', (backend) => {
  let db: Database;
  beforeAll(async () => {
    db = await testDatabase(backend);
  });
  afterAll(() => db?.close());

  const pending = (id: string, policy: Policy, kind: 'update' | 'renewal'): PolicyChange => ({
    id,
    groupId: id,
    partnerId: policy.partnerId,
    mode: policy.mode,
    policyId: policy.id,
    kind,
    status: 'pending',
    item: policy.item,
    premium: policy.premium,
    previousPremium: policy.premium,
    priceDiff: 0,
    termMonths: policy.termMonths,
    coverageStart: policy.coverageStart,
    coverageEnd: policy.coverageEnd,
    expiresAt: new Date(T0.getTime() + 86_400_000),
    createdAt: T0,
    confirmedAt: null,
    resultPolicyId: null,
    cancellation: null,
  });

  it('gives each change its booking id as group, and leaves the booking', async () => {
    const { ids } = idSource();
    const partner = await givenPartner(db, ids);
    const tenant = tenantOf(partner, 'live');
    const { policy: a } = await givenPolicy(db, ids, tenant, T0);
    const { policy: b } = await givenPolicy(db, ids, tenant, T0);
    await db.read.policyChanges.insert(pending('chg_update_a', a, 'update'));
    await db.read.policyChanges.insert(pending('chg_renew_b', b, 'renewal'));
    await db.read.dialectRecords.insert(tenant, {
      kind: 'xcover_booking',
      handle: 'CCCCC-DDDDD-INS',
      key: null,
      ref: null,
      email: null,
      data: {
        quotes: [
          { id: 'q-a', policyId: a.id, instalmentPlan: null },
          { id: 'q-b', policyId: b.id, instalmentPlan: null, renewalPolicyId: 'pol_next' },
        ],
        updates: {
          'aaaaa-bbbbb-ccccc-UPD': { quotes: [{ quoteId: 'q-a', changeId: 'chg_update_a' }], createdAt: T0 },
        },
        renewals: {
          'ddddd-eeeee-fffff-RNW': { quotes: [{ quoteId: 'q-b', changeId: 'chg_renew_b' }], createdAt: T0 },
        },
      },
      personalId: null,
      createdAt: T0,
    });

    const file = await readFile(
      new URL('../../src/storage/migrations/017_xcover_change_groups.sql', import.meta.url),
      'utf8',
    );
    await sql.raw(file).execute(db.kysely);

    expect((await db.read.policyChanges.group(tenant, 'aaaaa-bbbbb-ccccc-UPD')).map((c) => c.id)).toEqual([
      'chg_update_a',
    ]);
    expect((await db.read.policyChanges.group(tenant, 'ddddd-eeeee-fffff-RNW')).map((c) => c.id)).toEqual([
      'chg_renew_b',
    ]);
    const booking = await db.read.dialectRecords.get(tenant, 'xcover_booking', 'CCCCC-DDDDD-INS');
    expect(booking?.data).toEqual({
      quotes: [
        { id: 'q-a', policyId: a.id, instalmentPlan: null },
        { id: 'q-b', policyId: b.id, instalmentPlan: null },
      ],
    });
  });
});
