import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/storage/database.js';
import { BACKENDS, testDatabase } from '../helpers/database.js';
import { givenPartner, idSource, T0, tenantOf } from './builders.js';

describe.each(BACKENDS)('storage contract on %s: jobs', (backend) => {
  let db: Database;
  beforeAll(async () => {
    db = await testDatabase(backend);
  });
  afterAll(() => db?.close());

  it('reads a job, its list and its attempts within its partner and mode only', async () => {
    const { ids } = idSource();
    const partner = await givenPartner(db, ids);
    const test = tenantOf(partner, 'test');
    const live = tenantOf(partner, 'live');
    const id = ids.next('job');
    await db.read.jobs.enqueue({
      ...test,
      id,
      kind: 'webhook',
      payload: { n: 1 },
      runAt: T0,
      maxAttempts: 3,
      endpointId: 'we_1',
    });
    const job = await db.read.jobs.get(test, id);
    expect(job).toMatchObject({ id, status: 'pending', attempts: 0, payload: { n: 1 }, endpointId: 'we_1' });
    await db.read.jobs.finish(
      job!,
      {
        jobId: id,
        attempt: 1,
        startedAt: T0,
        durationMs: 12,
        outcome: 'succeeded',
        responseStatus: 200,
        error: null,
      },
      { status: 'done' },
    );

    expect(await db.read.jobs.get(test, id)).toMatchObject({ status: 'done', finishedAt: T0 });
    expect((await db.read.jobs.list(test, { limit: 10 })).map((j) => j.id)).toEqual([id]);
    expect((await db.read.jobs.attempts(test, id)).map((a) => [a.attempt, a.outcome])).toEqual([
      [1, 'succeeded'],
    ]);

    // The same partner's other mode sees none of it.
    expect(await db.read.jobs.get(live, id)).toBeUndefined();
    expect(await db.read.jobs.list(live, { limit: 10 })).toEqual([]);
    expect(await db.read.jobs.attempts(live, id)).toEqual([]);
  });
});
