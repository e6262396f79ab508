import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/storage/database.js';
import { jobRepository } from '../../src/storage/repositories/jobs.js';
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
    await db.read.jobs.finish([
      {
        job: job!,
        attempt: {
          jobId: id,
          attempt: 1,
          startedAt: T0,
          durationMs: 12,
          outcome: 'succeeded',
          responseStatus: 200,
          error: null,
        },
        next: { status: 'done' },
      },
    ]);

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

  it('claims only the oldest unfinished job of a subject for an endpoint, and at most perEndpoint per endpoint', async () => {
    const { ids } = idSource();
    const tenant = tenantOf(await givenPartner(db, ids), 'test');
    const enqueue = async (endpointId: string, subjectId: string) => {
      const id = ids.next('job');
      await db.read.jobs.enqueue({
        ...tenant,
        id,
        kind: 'webhook',
        payload: {},
        runAt: T0,
        maxAttempts: 8,
        endpointId,
        subjectId,
      });
      return id;
    };
    const a1 = await enqueue('we_a', 'pol_1');
    const a2 = await enqueue('we_a', 'pol_1');
    const a3 = await enqueue('we_a', 'pol_1');
    const a4 = await enqueue('we_a', 'pol_2');
    const b1 = await enqueue('we_b', 'pol_1');
    const claim = (perEndpoint = 10) =>
      db.transaction(async (repos) => (await repos.jobs.claim(T0, 10, 60_000, perEndpoint)).map((j) => j.id));
    const finish = (id: string, next: { status: 'done' } | { status: 'pending'; runAt: Date }) =>
      db.transaction(async (repos) => {
        const job = (await repos.jobs.get(tenant, id))!;
        const outcome = next.status === 'done' ? 'succeeded' : 'retrying';
        await repos.jobs.finish([
          {
            job,
            attempt: {
              jobId: id,
              attempt: job.attempts,
              startedAt: T0,
              durationMs: 1,
              outcome,
              responseStatus: 200,
              error: null,
            },
            next,
          },
        ]);
      });

    // One job per subject and endpoint: pol_1's later jobs for we_a wait; other subjects and endpoints do not.
    expect((await claim()).sort()).toEqual([a1, a4, b1].sort());
    // In flight (leased, still pending), a1 keeps a2 back.
    expect(await claim()).toEqual([]);
    await finish(a1, { status: 'done' });
    expect(await claim()).toEqual([a2]);
    // a2 fails and waits for its retry: a3 waits behind it.
    await finish(a2, { status: 'pending', runAt: new Date(T0.getTime() + 60_000) });
    expect(await claim()).toEqual([]);

    // At most perEndpoint jobs of one endpoint leased at once, whatever their subjects.
    const c = [
      await enqueue('we_c', 'pol_3'),
      await enqueue('we_c', 'pol_4'),
      await enqueue('we_c', 'pol_5'),
    ];
    expect(await claim(2)).toEqual(c.slice(0, 2));
    expect(await claim(2)).toEqual([]);
    await finish(c[0]!, { status: 'done' });
    expect(await claim(2)).toEqual([c[2]]);
    // a2 goes through at last: a3 is next.
    await finish(a2, { status: 'done' });
    expect(await claim(2)).toEqual([a3]);
  });

  it('claims a batch in one statement and records a batch of finished jobs in two', async () => {
    const { ids } = idSource();
    const tenant = tenantOf(await givenPartner(db, ids), 'test');
    let statements = 0;
    const counted = db.kysely.withPlugin({
      transformQuery: (args) => {
        statements++;
        return args.node;
      },
      transformResult: async (args) => args.result,
    });
    const mine: string[] = [];
    for (let i = 0; i < 12; i++) {
      const id = ids.next('job');
      mine.push(id);
      await db.read.jobs.enqueue({
        ...tenant,
        id,
        kind: i < 9 ? 'webhook' : 'policy_letter',
        payload: {},
        runAt: T0,
        maxAttempts: 8,
        ...(i < 9 ? { endpointId: `we_batch_${i % 3}`, subjectId: `pol_batch_${i}` } : {}),
      });
    }
    const claimed = await counted.transaction().execute(async (trx) => {
      statements = 0;
      const jobs = await jobRepository(trx).claim(T0, 100, 60_000, 10);
      expect(statements).toBe(1);
      return jobs.filter((j) => j.partnerId === tenant.partnerId);
    });
    expect(claimed.map((j) => j.id).sort()).toEqual([...mine].sort());

    await counted.transaction().execute(async (trx) => {
      statements = 0;
      await jobRepository(trx).finish(
        claimed.map((job, n) => ({
          job,
          attempt: {
            jobId: job.id,
            attempt: job.attempts,
            startedAt: T0,
            durationMs: 1,
            outcome: n === 0 ? 'retrying' : 'succeeded',
            responseStatus: n === 0 ? 503 : 200,
            error: n === 0 ? 'HTTP 503' : null,
          },
          next: n === 0 ? { status: 'pending', runAt: new Date(T0.getTime() + 60_000) } : { status: 'done' },
        })),
      );
      expect(statements).toBe(2);
    });
    const after = await Promise.all(claimed.map((j) => db.read.jobs.get(tenant, j.id)));
    expect(after[0]).toMatchObject({ status: 'pending', lockedUntil: null, lastError: 'HTTP 503' });
    expect(after[0]?.runAt).toEqual(new Date(T0.getTime() + 60_000));
    for (const job of after.slice(1))
      expect(job).toMatchObject({ status: 'done', finishedAt: T0, lockedUntil: null });
    for (const job of claimed) expect(await db.read.jobs.attempts(tenant, job.id)).toHaveLength(1);
  });
});
