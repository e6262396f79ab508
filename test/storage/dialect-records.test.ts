import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DialectRecord } from '../../src/core/ports.js';
import type { Database } from '../../src/storage/database.js';
import { BACKENDS, testDatabase } from '../helpers/database.js';
import { givenPartner, idSource, T0 } from './builders.js';

describe.each(BACKENDS)('storage contract on %s: dialect records', (backend) => {
  let db: Database;
  beforeAll(async () => {
    db = await testDatabase(backend);
  });
  afterAll(() => db?.close());

  const record = (handle: string, minutes: number): DialectRecord => ({
    kind: 'pkg',
    handle,
    key: null,
    ref: null,
    email: null,
    data: { n: 1 },
    personalId: null,
    createdAt: new Date(T0.getTime() + minutes * 60_000),
  });

  it('updates data, ref and email in place, within the tenant only', async () => {
    const { ids } = idSource();
    const a = { partnerId: (await givenPartner(db, ids)).id, mode: 'test' as const };
    const b = { partnerId: (await givenPartner(db, ids)).id, mode: 'test' as const };
    await db.read.dialectRecords.insert(a, record('H1', 0));
    await db.read.dialectRecords.insert(b, record('H1', 0));
    await db.transaction(async (repos) => {
      const r = await repos.dialectRecords.get(a, 'pkg', 'H1', { forUpdate: true });
      await repos.dialectRecords.update(a, { ...r!, data: { n: 2, list: [1] }, email: 'x@y.z', ref: 'r' });
    });
    const updated = await db.read.dialectRecords.get(a, 'pkg', 'H1');
    expect(updated).toMatchObject({ data: { n: 2, list: [1] }, email: 'x@y.z', ref: 'r' });
    expect((await db.read.dialectRecords.get(b, 'pkg', 'H1'))?.data).toEqual({ n: 1 });
  });

  it('keeps data as sent, with a personal id in it sealed at rest wherever it sits', async () => {
    const { ids } = idSource();
    const tenant = { partnerId: (await givenPartner(db, ids)).id, mode: 'test' as const };
    const data = { buyer: { contact: { firstName: 'Paul' }, personalId: '19840726-1234' } };
    await db.read.dialectRecords.insert(tenant, { ...record('S1', 0), data });
    const { rows } = await sql<{
      data: unknown;
    }>`SELECT data FROM dialect_records WHERE partner_id = ${tenant.partnerId} AND handle = 'S1'`.execute(
      db.kysely,
    );
    expect(JSON.stringify(rows[0]!.data)).not.toContain('19840726');
    expect(JSON.stringify(rows[0]!.data)).toContain('Paul');
    expect((await db.read.dialectRecords.get(tenant, 'pkg', 'S1'))?.data).toEqual(data);
  });

  it('refuses a second record of one handle, or of one key, by answering false and writing nothing', async () => {
    const { ids } = idSource();
    const a = { partnerId: (await givenPartner(db, ids)).id, mode: 'test' as const };
    expect(await db.read.dialectRecords.insert(a, { ...record('H1', 0), key: 'k1' })).toBe(true);
    expect(await db.read.dialectRecords.insert(a, { ...record('H1', 1), key: 'k2', data: { n: 2 } })).toBe(
      false,
    );
    expect(await db.read.dialectRecords.insert(a, { ...record('H2', 2), key: 'k1' })).toBe(false);
    expect((await db.read.dialectRecords.get(a, 'pkg', 'H1'))?.data).toEqual({ n: 1 });
    expect(await db.read.dialectRecords.get(a, 'pkg', 'H2')).toBeUndefined();
  });

  it('pages a kind newest first with the total count', async () => {
    const { ids } = idSource();
    const a = { partnerId: (await givenPartner(db, ids)).id, mode: 'test' as const };
    for (const [i, h] of ['A', 'B', 'C'].entries()) await db.read.dialectRecords.insert(a, record(h, i));
    await db.read.dialectRecords.insert(a, { ...record('Z', 9), kind: 'other' });
    const first = await db.read.dialectRecords.page(a, 'pkg', { limit: 2, offset: 0 });
    expect(first.total).toBe(3);
    expect(first.records.map((r) => r.handle)).toEqual(['C', 'B']);
    const second = await db.read.dialectRecords.page(a, 'pkg', { limit: 2, offset: 2 });
    expect(second.records.map((r) => r.handle)).toEqual(['A']);
    const live = await db.read.dialectRecords.page({ ...a, mode: 'live' }, 'pkg', { limit: 2, offset: 0 });
    expect(live).toEqual({ total: 0, records: [] });
  });
});
