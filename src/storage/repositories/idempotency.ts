import { type Kysely, sql } from 'kysely';
import { IDEMPOTENCY_LOCK_MS, IDEMPOTENCY_TTL_MS } from '../../core/idempotency.js';
import type { IdempotencyRepository } from '../../core/ports.js';
import type { Tables } from '../schema.js';
import type { SecretBox } from '../secret-box.js';

/** Stored answers can hold one-time secrets (issued credentials) and personal data: they are kept encrypted. */
export function idempotencyRepository(db: Kysely<Tables>, box: SecretBox): IdempotencyRepository {
  return {
    async claim(scope, requestHash, at) {
      const lockedUntil = new Date(at.getTime() + IDEMPOTENCY_LOCK_MS);
      const expiresAt = new Date(at.getTime() + IDEMPOTENCY_TTL_MS);
      // One round trip for a key not seen before:
      // - `lock`: held by the caller's transaction until it ends, however it ends (a connection that
      //   dies ends it). A request running with this key holds it so; another finds it busy and is told
      //   "in flight": what that other request sent cannot be read until it commits, so it counts as this one.
      // - `taken`: with the lock, insert the key, or take over one whose lock ran out without an answer
      //   (its work rolled back) or that expired.
      const { rows } = await sql<{ free: boolean; taken: boolean }>`
        WITH lock AS (
          SELECT pg_try_advisory_xact_lock(hashtext(${`${scope.partnerId}:${scope.mode}`}), hashtext(${scope.key})) AS free
        ), taken AS (
          INSERT INTO idempotency_keys (partner_id, mode, key, request_hash, locked_until, created_at, expires_at)
          SELECT ${scope.partnerId}::text, ${scope.mode}::text, ${scope.key}::text, ${requestHash}::text,
                 ${lockedUntil}::timestamptz, ${at}::timestamptz, ${expiresAt}::timestamptz
          FROM lock WHERE lock.free
          ON CONFLICT (partner_id, mode, key) DO UPDATE SET
            request_hash = excluded.request_hash, locked_until = excluded.locked_until,
            response_status = NULL, response_body = NULL,
            created_at = excluded.created_at, expires_at = excluded.expires_at
          WHERE idempotency_keys.expires_at <= excluded.created_at
             OR (idempotency_keys.response_status IS NULL AND idempotency_keys.locked_until <= excluded.created_at)
          RETURNING 1
        )
        SELECT lock.free, EXISTS (SELECT 1 FROM taken) AS taken FROM lock`.execute(db);
      if (!rows[0]!.free) return { requestHash, lockedUntil: null, response: null };
      if (rows[0]!.taken) return undefined;
      // Read in a statement of its own: the one above saw the database as it was before it took the
      // lock, which may be before the request that held it committed.
      const row = await db
        .selectFrom('idempotency_keys')
        .selectAll()
        .where('partner_id', '=', scope.partnerId)
        .where('mode', '=', scope.mode)
        .where('key', '=', scope.key)
        .executeTakeFirstOrThrow();
      return {
        requestHash: row.request_hash,
        lockedUntil: row.locked_until,
        response:
          row.response_status === null
            ? null
            : { status: row.response_status, body: row.response_body ? box.open(row.response_body) : '' },
      };
    },
    async complete(scope, response) {
      await db
        .updateTable('idempotency_keys')
        .set({ response_status: response.status, response_body: box.seal(response.body), locked_until: null })
        .where('partner_id', '=', scope.partnerId)
        .where('mode', '=', scope.mode)
        .where('key', '=', scope.key)
        .execute();
    },
    async purgeExpired(now) {
      const result = await db
        .deleteFrom('idempotency_keys')
        .where('expires_at', '<=', now)
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
