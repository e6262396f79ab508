import { readFile } from 'node:fs/promises';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/storage/database.js';
import { BACKENDS, testDatabase } from '../helpers/database.js';
import { givenPartner, idSource, T0 } from './builders.js';

/**
 * Migration 019 names the set each credential was issued in: credentials stored before it get the set of
 * the API key made with them (same partner, mode and instant, the latest such key at or before them),
 * and none is revoked.
 */
describe.each(BACKENDS)('migration 019 on %s: credential sets', (backend) => {
  let db: Database;
  beforeAll(async () => {
    db = await testDatabase(backend);
  });
  afterAll(() => db?.close());

  it('groups the credentials stored before into the sets they were issued in', async () => {
    const { ids } = idSource();
    const partner = await givenPartner(db, ids);
    const other = await givenPartner(db, ids);
    // The table as it was before 019.
    await sql`DROP INDEX credentials_set`.execute(db.kysely);
    await sql`ALTER TABLE credentials DROP COLUMN set_id, DROP COLUMN revoked_at`.execute(db.kysely);
    const later = new Date(T0.getTime() + 1000);
    const rows: [string, string, string, string, Date][] = [
      // Two sets issued in the same millisecond, a third later, one in live mode, one of another partner.
      [partner.id, 'cred_01a', 'test', 'api_key', T0],
      [partner.id, 'cred_01b', 'test', 'oauth_client', T0],
      [partner.id, 'cred_01c', 'test', 'hmac_key', T0],
      [partner.id, 'cred_01d', 'test', 'api_key', T0],
      [partner.id, 'cred_01e', 'test', 'oauth_client', T0],
      [partner.id, 'cred_01f', 'test', 'hmac_key', T0],
      [partner.id, 'cred_01g', 'test', 'api_key', later],
      [partner.id, 'cred_01h', 'test', 'oauth_client', later],
      [partner.id, 'cred_01i', 'test', 'hmac_key', later],
      [partner.id, 'cred_01j', 'live', 'oauth_client', T0],
      [other.id, 'cred_01k', 'test', 'hmac_key', T0],
    ];
    for (const [partnerId, id, mode, kind, at] of rows) {
      await sql`INSERT INTO credentials (partner_id, id, mode, kind, lookup, secret_hash, secret_enc, created_at)
        VALUES (${partnerId}, ${id}, ${mode}, ${kind}, ${`lookup-${id}`}, NULL, NULL, ${at})`.execute(
        db.kysely,
      );
    }

    const file = await readFile(
      new URL('../../src/storage/migrations/019_credential_revocation.sql', import.meta.url),
      'utf8',
    );
    await sql.raw(file).execute(db.kysely);

    const setOf = async (partnerId: string) =>
      Object.fromEntries(
        (await db.read.credentials.list(partnerId)).map((c) => [c.id, [c.setId, c.revokedAt]]),
      );
    expect(await setOf(partner.id)).toEqual({
      cred_01a: ['crs_01a', null],
      cred_01b: ['crs_01a', null],
      cred_01c: ['crs_01a', null],
      cred_01d: ['crs_01d', null],
      cred_01e: ['crs_01d', null],
      cred_01f: ['crs_01d', null],
      cred_01g: ['crs_01g', null],
      cred_01h: ['crs_01g', null],
      cred_01i: ['crs_01g', null],
      cred_01j: ['crs_01j', null],
    });
    expect(await setOf(other.id)).toEqual({ cred_01k: ['crs_01k', null] });
  });
});
