import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSchedule } from '../../src/jobs/scheduler.js';
import { type Database, openDatabase } from '../../src/storage/database.js';
import { TEST_ENCRYPTION_KEY } from '../helpers/constants.js';
import { BACKENDS, testDatabase } from '../helpers/database.js';
import { givenPartner, givenPolicy, HOUR_MS, idSource, T0, tenantOf } from '../storage/builders.js';

/**
 * The scheduler in every API process (`protego serve` runs it, and several serve one database): two
 * schedulers on their own connection pools, as two processes have, running the same round at once
 * change each due policy once between them.
 */
describe.skipIf(!BACKENDS.includes('postgres'))('two schedulers on one PostgreSQL', () => {
  let one: Database;
  let two: Database;
  beforeAll(async () => {
    one = await testDatabase('postgres');
    const { rows } = await sql<{ schema: string }>`SELECT current_schema() AS schema`.execute(one.kysely);
    two = await openDatabase(
      { kind: 'postgres', url: process.env.TEST_DATABASE_URL!, schema: rows[0]!.schema, poolSize: 4 },
      TEST_ENCRYPTION_KEY,
    );
  });
  afterAll(async () => {
    await two?.close();
    await one?.close();
  });

  it('activates each due policy once, whichever process gets to it', async () => {
    const { clock, ids } = idSource(T0);
    const tenant = tenantOf(await givenPartner(one, ids));
    const policies = [];
    for (let i = 0; i < 20; i++) {
      const { policy } = await givenPolicy(one, ids, tenant, new Date(T0.getTime() - HOUR_MS), {
        status: 'scheduled',
        coverageStart: new Date(T0.getTime() - 60_000),
        refs: { orderId: `order-${i}`, lineId: 'l1' },
      });
      policies.push(policy);
    }
    const [a, b] = await Promise.all([runSchedule(one, clock, ids), runSchedule(two, clock, ids)]);
    expect(a + b).toBe(20);
    for (const policy of policies) {
      expect((await one.read.policies.get(tenant, policy.id))?.status).toBe('active');
      expect((await one.read.policies.history(tenant, policy.id)).map((e) => e.toStatus)).toEqual([
        'scheduled',
        'active',
      ]);
    }
  });
});
