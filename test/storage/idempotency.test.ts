import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  IDEMPOTENCY_LOCK_MS,
  IDEMPOTENCY_TTL_MS,
  type IdempotencyScope,
} from '../../src/core/idempotency.js';
import type { Database } from '../../src/storage/database.js';
import { BACKENDS, testDatabase } from '../helpers/database.js';
import { T0, uniqueCode } from './builders.js';

const plus = (ms: number) => new Date(T0.getTime() + ms);

describe.each(BACKENDS)('storage contract on %s: idempotency keys', (backend) => {
  let db: Database;
  beforeAll(async () => {
    db = await testDatabase(backend);
  });
  afterAll(() => db?.close());

  /** A scope no other test uses: idempotency keys need no partner row. */
  const freshScope = (mode = 'test'): IdempotencyScope => ({
    partnerId: uniqueCode('ptn'),
    mode,
    key: uniqueCode('key'),
  });

  it('a fresh key is taken (undefined); a second claim sees it in flight with the first hash', async () => {
    const scope = freshScope();
    const repo = db.read.idempotency;
    expect(await repo.claim(scope, 'hash-a', T0)).toBeUndefined();

    const second = await repo.claim(scope, 'hash-a', plus(1_000));
    expect(second).toEqual({
      requestHash: 'hash-a',
      lockedUntil: plus(IDEMPOTENCY_LOCK_MS),
      response: null,
    });
    // A different request under the same key sees the original hash (the caller refuses it as reused).
    expect((await repo.claim(scope, 'hash-b', plus(2_000)))?.requestHash).toBe('hash-a');
  });

  it('after complete, a claim returns the stored response', async () => {
    const scope = freshScope();
    const repo = db.read.idempotency;
    await repo.claim(scope, 'hash-a', T0);
    await repo.complete(scope, { status: 201, body: '{"id":"pol_1"}' });

    expect(await repo.claim(scope, 'hash-a', plus(5_000))).toEqual({
      requestHash: 'hash-a',
      lockedUntil: null,
      response: { status: 201, body: '{"id":"pol_1"}' },
    });
  });

  it('an answered key is not taken over once its lock time has passed', async () => {
    const scope = freshScope();
    const repo = db.read.idempotency;
    await repo.claim(scope, 'hash-a', T0);
    await repo.complete(scope, { status: 200, body: 'done' });
    const answered = await repo.claim(scope, 'hash-a', plus(IDEMPOTENCY_LOCK_MS * 10));
    expect(answered?.response).toEqual({ status: 200, body: 'done' });
  });

  it('a key taken in a transaction that rolls back (a crash mid-work) is free at once', async () => {
    const scope = freshScope();
    await db
      .transaction(async (repos) => {
        expect(await repos.idempotency.claim(scope, 'hash-a', T0)).toBeUndefined();
        throw new Error('the process died here');
      })
      .catch(() => undefined);
    expect(await db.read.idempotency.claim(scope, 'hash-b', plus(1_000))).toBeUndefined();
  });

  it('while a transaction holds a key, a claim elsewhere finds it in flight; once it commits, answered', async () => {
    const scope = freshScope();
    let commit!: () => void;
    const committed = new Promise<void>((resolve) => {
      commit = resolve;
    });
    let taken!: () => void;
    const held = new Promise<void>((resolve) => {
      taken = resolve;
    });
    const first = db.transaction(async (repos) => {
      expect(await repos.idempotency.claim(scope, 'hash-a', T0)).toBeUndefined();
      taken();
      await committed;
      await repos.idempotency.complete(scope, { status: 201, body: 'kept' });
    });
    await held;
    // PGlite runs one transaction at a time: the other claim waits for the first to end.
    if (backend === 'postgres')
      expect(await db.read.idempotency.claim(scope, 'hash-a', plus(1))).toEqual({
        requestHash: 'hash-a',
        lockedUntil: null,
        response: null,
      });
    commit();
    await first;
    expect((await db.read.idempotency.claim(scope, 'hash-a', plus(2)))?.response).toEqual({
      status: 201,
      body: 'kept',
    });
  });

  it('an unanswered lock past IDEMPOTENCY_LOCK_MS is taken over by a later claim', async () => {
    const scope = freshScope();
    const repo = db.read.idempotency;
    await repo.claim(scope, 'hash-a', T0);
    // Still locked a millisecond before the lock runs out…
    expect((await repo.claim(scope, 'hash-b', plus(IDEMPOTENCY_LOCK_MS - 1)))?.response).toBeNull();
    // …taken over once it has.
    expect(await repo.claim(scope, 'hash-b', plus(IDEMPOTENCY_LOCK_MS))).toBeUndefined();
    const now = await repo.claim(scope, 'hash-c', plus(IDEMPOTENCY_LOCK_MS + 1));
    expect(now).toEqual({
      requestHash: 'hash-b',
      lockedUntil: plus(2 * IDEMPOTENCY_LOCK_MS),
      response: null,
    });
  });

  it('an expired key (past IDEMPOTENCY_TTL_MS) can be claimed again, its old answer gone', async () => {
    const scope = freshScope();
    const repo = db.read.idempotency;
    await repo.claim(scope, 'hash-a', T0);
    await repo.complete(scope, { status: 201, body: 'old' });
    expect((await repo.claim(scope, 'hash-b', plus(IDEMPOTENCY_TTL_MS - 1)))?.response?.body).toBe('old');

    expect(await repo.claim(scope, 'hash-b', plus(IDEMPOTENCY_TTL_MS))).toBeUndefined();
    expect(await repo.claim(scope, 'hash-b', plus(IDEMPOTENCY_TTL_MS + 1))).toEqual({
      requestHash: 'hash-b',
      lockedUntil: plus(IDEMPOTENCY_TTL_MS + IDEMPOTENCY_LOCK_MS),
      response: null,
    });
  });

  it('purgeExpired forgets keys past their time and keeps the rest', async () => {
    const old = freshScope();
    const fresh = freshScope();
    const repo = db.read.idempotency;
    await repo.claim(old, 'h', T0);
    await repo.complete(old, { status: 201, body: 'old' });
    await repo.claim(fresh, 'h', plus(IDEMPOTENCY_TTL_MS));
    expect(await repo.purgeExpired(plus(IDEMPOTENCY_TTL_MS))).toBeGreaterThanOrEqual(1);
    expect(await repo.claim(old, 'other', plus(IDEMPOTENCY_TTL_MS))).toBeUndefined();
    expect((await repo.claim(fresh, 'h', plus(IDEMPOTENCY_TTL_MS)))?.requestHash).toBe('h');
  });

  it('keys are per partner, mode and key', async () => {
    const scope = freshScope();
    const repo = db.read.idempotency;
    expect(await repo.claim(scope, 'h', T0)).toBeUndefined();
    expect(await repo.claim({ ...scope, mode: 'live' }, 'h', T0)).toBeUndefined();
    expect(await repo.claim({ ...scope, partnerId: uniqueCode('ptn') }, 'h', T0)).toBeUndefined();
    expect(await repo.claim({ ...scope, key: uniqueCode('key') }, 'h', T0)).toBeUndefined();

    await repo.complete({ ...scope, mode: 'live' }, { status: 200, body: 'live' });
    expect((await repo.claim(scope, 'h', plus(1)))?.response).toBeNull();
    expect((await repo.claim({ ...scope, mode: 'live' }, 'h', plus(1)))?.response?.body).toBe('live');
  });

  it('two concurrent claims of a fresh key: exactly one takes it', async () => {
    const scope = freshScope();
    const repo = db.read.idempotency;
    const results = await Promise.all([repo.claim(scope, 'h1', T0), repo.claim(scope, 'h2', T0)]);
    const taken = results.filter((r) => r === undefined);
    expect(taken).toHaveLength(1);
    const seen = results.find((r) => r !== undefined);
    expect(seen?.response).toBeNull();
    expect(['h1', 'h2']).toContain(seen?.requestHash);
  });

  it('two concurrent claims of a lock that ran out: exactly one takes it over', async () => {
    const scope = freshScope();
    const repo = db.read.idempotency;
    await repo.claim(scope, 'h0', T0);
    const late = plus(IDEMPOTENCY_LOCK_MS + 5_000);
    const results = await Promise.all([repo.claim(scope, 'h1', late), repo.claim(scope, 'h2', late)]);
    expect(results.filter((r) => r === undefined)).toHaveLength(1);
    // The other is told the key is in flight: while the lock is held, or after, from the row as taken over.
    const seen = results.find((r) => r !== undefined);
    expect(['h1', 'h2']).toContain(seen?.requestHash);
    expect([null, new Date(late.getTime() + IDEMPOTENCY_LOCK_MS).getTime()]).toContain(
      seen?.lockedUntil?.getTime() ?? null,
    );
    expect(seen?.response).toBeNull();
  });

  it('a claim inside a transaction that rolls back leaves the key free', async () => {
    const scope = freshScope();
    await expect(
      db.transaction(async (repos) => {
        expect(await repos.idempotency.claim(scope, 'h', T0)).toBeUndefined();
        throw new Error('work failed');
      }),
    ).rejects.toThrow('work failed');
    expect(await db.read.idempotency.claim(scope, 'h2', plus(1))).toBeUndefined();
  });
});
