import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRequest } from '../../src/core/access/request-rate.js';
import { ManualClock } from '../../src/core/clock.js';
import type { Database } from '../../src/storage/database.js';
import { BACKENDS, testDatabase } from '../helpers/database.js';

/** The XCover rate limit's count, kept in the database so that every API process shares it. */
describe.each(BACKENDS)('request rates on %s', (backend) => {
  let db: Database;
  beforeAll(async () => {
    db = await testDatabase(backend);
  });
  afterAll(() => db?.close());

  const at = (ms: number) => {
    const clock = new ManualClock(new Date(ms).toISOString());
    return {
      clock,
      take: (key: string, limit: number) => countRequest({ repos: db.read, clock }, 'p1', key, limit),
    };
  };

  it('counts down within a second and refuses past the limit, with Retry-After', async () => {
    const { take } = at(1_700_000_000_250);
    expect(await take('a', 3)).toEqual({
      limit: 3,
      remaining: 2,
      reset: 1_700_000_001,
      allowed: true,
      retryAfter: 0,
    });
    expect((await take('a', 3)).remaining).toBe(1);
    expect((await take('a', 3)).remaining).toBe(0);
    expect(await take('a', 3)).toMatchObject({
      allowed: false,
      remaining: 0,
      retryAfter: 1,
      reset: 1_700_000_001,
    });
  });

  it('starts again in the next second', async () => {
    const { clock, take } = at(1_700_000_010_900);
    for (let i = 0; i < 2; i++) expect((await take('b', 2)).allowed).toBe(true);
    expect((await take('b', 2)).allowed).toBe(false);
    clock.set(new Date(1_700_000_011_000));
    expect(await take('b', 2)).toMatchObject({ allowed: true, remaining: 1, reset: 1_700_000_012 });
  });

  it('counts each key apart', async () => {
    const { take } = at(1_700_000_020_000);
    await take('c', 1);
    expect((await take('c', 1)).allowed).toBe(false);
    expect((await take('d', 1)).allowed).toBe(true);
  });

  it('counts a process whose clock is behind in the window already open, without starting it again', async () => {
    const ahead = at(1_700_000_031_100);
    const behind = at(1_700_000_030_950);
    expect((await ahead.take('e', 2)).remaining).toBe(1);
    const late = await behind.take('e', 2);
    expect(late).toMatchObject({ allowed: true, remaining: 0, reset: 1_700_000_032 });
    expect((await ahead.take('e', 2)).allowed).toBe(false);
  });

  it('keeps one row per key, however many windows pass', async () => {
    const { clock, take } = at(1_700_000_040_000);
    for (let i = 0; i < 5; i++) {
      await take('f', 10);
      clock.advance(1000);
    }
    const rows = await db.kysely.selectFrom('request_rates').selectAll().where('key', '=', 'f').execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.count).toBe(1);
  });
});
