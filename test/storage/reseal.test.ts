import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../src/storage/database.js';
import { sealStoredPersonalData } from '../../src/storage/seal-stored-personal-data.js';
import { SecretBox } from '../../src/storage/secret-box.js';
import { TEST_ENCRYPTION_KEY } from '../helpers/constants.js';
import { BACKENDS, testDatabase } from '../helpers/database.js';

const SEALED_TEXT = /^v1\.[\w-]+\.[\w-]+\.[\w-]*$/;

/** Every sealed value anywhere in the database: any text column that holds one, any `$sealed` in any JSON. */
async function everySealedValue(db: Database): Promise<string[]> {
  const columns = await sql<{ table_name: string; column_name: string; data_type: string }>`
    SELECT table_name, column_name, data_type FROM information_schema.columns
    WHERE table_schema = current_schema() AND data_type IN ('text', 'jsonb')`.execute(db.kysely);
  const found: string[] = [];
  const collect = (v: unknown): void => {
    if (typeof v === 'string' && SEALED_TEXT.test(v)) found.push(v);
    else if (Array.isArray(v)) v.forEach(collect);
    else if (v && typeof v === 'object') for (const x of Object.values(v)) collect(x);
  };
  for (const c of columns.rows) {
    const rows = await sql<{
      v: unknown;
    }>`SELECT ${sql.ref(c.column_name)} AS v FROM ${sql.table(c.table_name)}`.execute(db.kysely);
    for (const r of rows.rows) collect(r.v);
  }
  return found;
}

describe.each(BACKENDS)('protego reseal on %s', (backend) => {
  const newKey = randomBytes(32);
  const opened: Database[] = [];
  afterAll(async () => {
    for (const db of opened.reverse()) await db.close();
  });

  /** The same data opened with other keys. */
  async function reopen(db: Database, key: Buffer, previous: Buffer[] = []): Promise<Database> {
    if (backend === 'postgres') {
      const schema = (await sql<{ s: string }>`SELECT current_schema() AS s`.execute(db.kysely)).rows[0]!.s;
      const other = await openDatabase(
        { kind: 'postgres', url: process.env.TEST_DATABASE_URL!, schema },
        key,
        previous,
      );
      opened.push(other);
      return other;
    }
    throw new Error('PGlite is reopened through its instance');
  }

  it('seals everything again under the new key: opened with it alone, everything reads; a second run changes nothing', async () => {
    let old: Database;
    let rotated: Database;
    let onlyNew: () => Promise<Database>;
    if (backend === 'pglite') {
      const pglite = await PGlite.create();
      old = await openDatabase({ kind: 'pglite', pglite }, TEST_ENCRYPTION_KEY);
      await old.migrate();
      rotated = await openDatabase({ kind: 'pglite', pglite }, newKey, [TEST_ENCRYPTION_KEY]);
      onlyNew = async () => openDatabase({ kind: 'pglite', pglite }, newKey);
      opened.push(rotated);
    } else {
      old = await testDatabase(backend);
      opened.push(old);
      rotated = await reopen(old, newKey, [TEST_ENCRYPTION_KEY]);
      onlyNew = () => reopen(old, newKey);
    }
    // Sealed under the old key: an HMAC secret, a stored answer, a personal id in history.
    await sql`INSERT INTO partners (partner_id, code, name, markets, counterpart_handle, created_at)
      VALUES ('par_rs', 'reseal', 'Reseal', '[]', gen_random_uuid(), now())`.execute(old.kysely);
    await old.read.credentials.add({
      id: 'cre_rs',
      partnerId: 'par_rs',
      mode: 'test',
      kind: 'hmac_key',
      lookup: 'hk_reseal',
      secretHash: null,
      secret: 'the-hmac-secret',
      setId: 'crs_rs',
      revokedAt: null,
      createdAt: new Date(),
    });
    const scope = { partnerId: 'par_rs', mode: 'test', key: 'k-reseal' };
    await old.read.idempotency.claim(scope, 'h', new Date());
    await old.read.idempotency.complete(scope, { status: 201, body: '{"personal_id":"19840726-1234"}' });
    const payload = {
      type: 'order_placed',
      orderId: 'o-rs',
      customer: { personal_id: '19791231-9876' },
      lines: [],
    };
    await sql`INSERT INTO order_events (partner_id, mode, id, order_id, type, occurred_at, payload, policy_ids, created_at)
      VALUES ('par_rs', 'test', 'oev_rs', 'o-rs', 'order_placed', now(), ${JSON.stringify(payload)}, '[]', now())`.execute(
      old.kysely,
    );
    await sealStoredPersonalData(new SecretBox(TEST_ENCRYPTION_KEY)).run(old.kysely);
    const before = await everySealedValue(old);
    expect(before.length).toBeGreaterThanOrEqual(3);

    const resealed = await rotated.reseal();
    expect(resealed).toBe(before.length);
    expect(await rotated.reseal()).toBe(0);

    // Every sealed value in the database opens with the new key alone, and none with the old one.
    const after = await everySealedValue(rotated);
    expect(after).toHaveLength(before.length);
    for (const v of after) {
      expect(() => new SecretBox(newKey).open(v)).not.toThrow();
      expect(() => new SecretBox(TEST_ENCRYPTION_KEY).open(v)).toThrow();
    }
    const fresh = await onlyNew();
    expect((await fresh.read.credentials.find('hmac_key', 'hk_reseal'))?.secret).toBe('the-hmac-secret');
    expect((await fresh.read.idempotency.claim(scope, 'h', new Date()))?.response?.body).toContain(
      '19840726-1234',
    );
    const [event] = await fresh.read.orderEvents.list({ partnerId: 'par_rs', mode: 'test' }, 'o-rs');
    expect(event?.payload).toMatchObject({ customer: { personal_id: '19791231-9876' } });
    // The history is still immutable outside a reseal.
    await expect(
      sql`UPDATE order_events SET type = type WHERE id = 'oev_rs'`.execute(fresh.kysely),
    ).rejects.toThrow(/immutable/);
  });
});
