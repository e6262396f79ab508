import { type Kysely, sql } from 'kysely';
import { IDEMPOTENCY_LOCK_MS, IDEMPOTENCY_TTL_MS } from '../../core/idempotency.js';
import type { IdempotencyRepository } from '../../core/ports.js';
import type { Tables } from '../schema.js';
import type { SecretBox } from '../secret-box.js';

/** Stored answers can hold one-time secrets (issued credentials) and personal data: they are kept encrypted. */
export function idempotencyRepository(db: Kysely<Tables>, box: SecretBox): IdempotencyRepository {
  return {
    async claim(scope, requestHash, at) {
      // Held by the caller's transaction until it ends, however it ends (a connection that dies ends it):
      // a request running with this key holds it so; another finds it busy and is told "in flight".
      // What that other request sent cannot be read until it commits, so it counts as this one.
      const lock = await sql<{ free: boolean }>`
        SELECT pg_try_advisory_xact_lock(hashtext(${`${scope.partnerId}:${scope.mode}`}), hashtext(${scope.key})) AS free`.execute(
        db,
      );
      if (!lock.rows[0]?.free) return { requestHash, lockedUntil: null, response: null };
      const lockedUntil = new Date(at.getTime() + IDEMPOTENCY_LOCK_MS);
      const expiresAt = new Date(at.getTime() + IDEMPOTENCY_TTL_MS);
      // Insert, or take over a key whose lock ran out without an answer (its work rolled back) or that expired.
      const taken = await db
        .insertInto('idempotency_keys')
        .values({
          partner_id: scope.partnerId,
          mode: scope.mode,
          key: scope.key,
          request_hash: requestHash,
          locked_until: lockedUntil,
          created_at: at,
          expires_at: expiresAt,
        })
        .onConflict((oc) =>
          oc
            .columns(['partner_id', 'mode', 'key'])
            .doUpdateSet({
              request_hash: requestHash,
              locked_until: lockedUntil,
              response_status: null,
              response_body: null,
              created_at: at,
              expires_at: expiresAt,
            })
            .where((eb) =>
              eb.or([
                eb('idempotency_keys.expires_at', '<=', at),
                eb.and([
                  eb('idempotency_keys.response_status', 'is', null),
                  eb('idempotency_keys.locked_until', '<=', at),
                ]),
              ]),
            ),
        )
        .returning(sql<number>`1`.as('taken'))
        .executeTakeFirst();
      if (taken) return undefined;
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
