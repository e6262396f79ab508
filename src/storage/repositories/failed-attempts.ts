import { type Kysely, sql } from 'kysely';
import type { FailedAttemptRepository } from '../../core/ports.js';
import type { Tables } from '../schema.js';

export function failedAttemptRepository(db: Kysely<Tables>): FailedAttemptRepository {
  return {
    async add(source, windowStart) {
      await db
        .deleteFrom('failed_attempts')
        .where('source', '=', source)
        .where('window_start', '<', windowStart)
        .execute();
      const row = await db
        .insertInto('failed_attempts')
        .values({ source, window_start: windowStart, count: 1 })
        .onConflict((oc) =>
          oc.columns(['source', 'window_start']).doUpdateSet({ count: sql`failed_attempts.count + 1` }),
        )
        .returning('count')
        .executeTakeFirstOrThrow();
      return row.count;
    },
  };
}
