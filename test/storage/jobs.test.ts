import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/storage/store.js';
import { BACKENDS, testStore } from '../helpers/store.js';
import { givenPartner, idSource, T0, tenantOf } from './builders.js';

describe.each(BACKENDS)('storage contract on %s: jobs', (backend) => {
  let store: Store;
  beforeAll(async () => {
    store = await testStore(backend);
  });
  afterAll(() => store?.close());

  it('reads a job, its list and its attempts within its partner and mode only', async () => {
    const { ids } = idSource();
    const partner = await givenPartner(store, ids);
    const test = tenantOf(partner, 'test');
    const live = tenantOf(partner, 'live');
    const id = ids.next('job');
    await store.read.jobs.enqueue({
      ...test,
      id,
      kind: 'webhook',
      payload: { n: 1 },
      runAt: T0,
      maxAttempts: 3,
      endpointId: 'we_1',
    });
    const job = await store.read.jobs.get(test, id);
    expect(job).toMatchObject({ id, status: 'pending', attempts: 0, payload: { n: 1 }, endpointId: 'we_1' });
    await store.read.jobs.finish(
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

    expect(await store.read.jobs.get(test, id)).toMatchObject({ status: 'done', finishedAt: T0 });
    expect((await store.read.jobs.list(test, { limit: 10 })).map((j) => j.id)).toEqual([id]);
    expect((await store.read.jobs.attempts(test, id)).map((a) => [a.attempt, a.outcome])).toEqual([
      [1, 'succeeded'],
    ]);

    // The same partner's other mode sees none of it.
    expect(await store.read.jobs.get(live, id)).toBeUndefined();
    expect(await store.read.jobs.list(live, { limit: 10 })).toEqual([]);
    expect(await store.read.jobs.attempts(live, id)).toEqual([]);
  });
});
