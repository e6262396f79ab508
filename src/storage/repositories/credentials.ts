import type { Kysely } from 'kysely';
import type { CredentialRepository, StoredCredential } from '../../core/ports.js';
import type { Tables } from '../schema.js';
import type { SecretBox } from '../secret-box.js';

export function credentialRepository(db: Kysely<Tables>, box: SecretBox): CredentialRepository {
  const toCredential = (row: {
    id: string;
    partner_id: string;
    mode: 'test' | 'live';
    kind: StoredCredential['kind'];
    lookup: string;
    secret_hash: string | null;
    secret_enc: string | null;
    set_id: string;
    created_at: Date;
    revoked_at: Date | null;
    origins: string[] | null;
  }): StoredCredential => ({
    id: row.id,
    partnerId: row.partner_id,
    mode: row.mode,
    kind: row.kind,
    lookup: row.lookup,
    secretHash: row.secret_hash,
    secret: row.secret_enc ? box.open(row.secret_enc) : null,
    setId: row.set_id,
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
    // Only publishable keys have origins; the other kinds read back exactly as they were added.
    ...(row.origins ? { origins: row.origins } : {}),
  });
  return {
    async add(c) {
      await db
        .insertInto('credentials')
        .values({
          partner_id: c.partnerId,
          id: c.id,
          mode: c.mode,
          kind: c.kind,
          lookup: c.lookup,
          secret_hash: c.secretHash,
          secret_enc: c.secret === null ? null : box.seal(c.secret),
          set_id: c.setId,
          created_at: c.createdAt,
          revoked_at: c.revokedAt,
          origins: c.origins ? JSON.stringify(c.origins) : null,
        })
        .execute();
    },
    async find(kind, lookup) {
      const row = await db
        .selectFrom('credentials')
        .selectAll()
        .where('kind', '=', kind)
        .where('lookup', '=', lookup)
        .executeTakeFirst();
      return row && toCredential(row);
    },
    async list(partnerId) {
      const rows = await db
        .selectFrom('credentials')
        .selectAll()
        .where('partner_id', '=', partnerId)
        .orderBy('id')
        .execute();
      return rows.map(toCredential);
    },
    async revokeSet(partnerId, setId, at) {
      await db
        .updateTable('credentials')
        .set({ revoked_at: at })
        .where('partner_id', '=', partnerId)
        .where('set_id', '=', setId)
        .where('revoked_at', 'is', null)
        .execute();
    },
  };
}
