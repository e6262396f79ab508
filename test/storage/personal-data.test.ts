import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../src/storage/database.js';
import { sealStoredPersonalData } from '../../src/storage/seal-stored-personal-data.js';
import { SecretBox } from '../../src/storage/secret-box.js';
import { TEST_ENCRYPTION_KEY } from '../helpers/constants.js';
import { BACKENDS, testDatabase } from '../helpers/database.js';

describe('key rotation', () => {
  const [oldKey, newKey] = [randomBytes(32), randomBytes(32)];

  it('a new key seals from now on; the old one, kept as previous, still opens what it sealed', () => {
    const sealedBefore = new SecretBox(oldKey).seal('19840726-1234');
    const rotated = new SecretBox(newKey, [oldKey]);
    expect(rotated.open(sealedBefore)).toBe('19840726-1234');
    expect(new SecretBox(newKey).open(rotated.seal('after'))).toBe('after');
    expect(() => new SecretBox(newKey).open(sealedBefore)).toThrow();
  });

  it('a database opened with the new key and the old one as previous reads what the old key wrote', async () => {
    const pglite = await PGlite.create();
    const before = await openDatabase({ kind: 'pglite', pglite }, oldKey);
    await before.migrate();
    await sql`INSERT INTO partners (partner_id, code, name, markets, counterpart_handle, created_at)
      VALUES ('par_rot', 'rotation', 'Rotation', '[]', gen_random_uuid(), now())`.execute(before.kysely);
    await before.read.credentials.add({
      id: 'cre_rot',
      partnerId: 'par_rot',
      mode: 'test',
      kind: 'hmac_key',
      lookup: 'hk_rotation',
      secretHash: null,
      secret: 'the-hmac-secret',
      setId: 'crs_rot',
      revokedAt: null,
      createdAt: new Date(),
    });
    const after = await openDatabase({ kind: 'pglite', pglite }, newKey, [oldKey]);
    expect((await after.read.credentials.find('hmac_key', 'hk_rotation'))?.secret).toBe('the-hmac-secret');
    const withoutOld = await openDatabase({ kind: 'pglite', pglite }, newKey);
    await expect(withoutOld.read.credentials.find('hmac_key', 'hk_rotation')).rejects.toThrow();
    await pglite.close();
  });
});

describe.each(BACKENDS)('personal ids in stored JSON on %s', (backend) => {
  let db: Database;
  beforeAll(async () => {
    db = await testDatabase(backend);
  });
  afterAll(() => db?.close());

  it('migration 016 seals the personal ids an earlier release wrote in clear, and they read back', async () => {
    const partner = (await db.read.partners.getByCode('electroshop'))!;
    const payload = {
      type: 'order_placed',
      orderId: 'old-order',
      customer: { firstName: 'Max', personal_id: '19791231-9876' },
      lines: [],
    };
    await sql`INSERT INTO order_events (partner_id, mode, id, order_id, type, occurred_at, payload, policy_ids, created_at)
      VALUES (${partner.id}, 'test', 'oev_old_clear', 'old-order', 'order_placed', now(), ${JSON.stringify(payload)}, '[]', now())`.execute(
      db.kysely,
    );
    await sealStoredPersonalData(new SecretBox(TEST_ENCRYPTION_KEY)).run(db.kysely);
    const stored = await sql<{
      text: string;
    }>`SELECT payload::text AS text FROM order_events WHERE id = 'oev_old_clear'`.execute(db.kysely);
    expect(stored.rows[0]!.text).not.toContain('19791231');
    const [read] = await db.read.orderEvents.list({ partnerId: partner.id, mode: 'test' }, 'old-order');
    expect(read?.payload).toMatchObject({ customer: { personal_id: '19791231-9876' } });
    // The history stays immutable after the migration's one rewrite.
    await expect(
      sql`UPDATE order_events SET type = type WHERE id = 'oev_old_clear'`.execute(db.kysely),
    ).rejects.toThrow(/immutable/);
  });
});
