import { type Kysely, sql } from 'kysely';
import type { RequestRateRepository } from '../../core/ports.js';
import type { Tables } from '../schema.js';

export function requestRateRepository(db: Kysely<Tables>): RequestRateRepository {
  return {
    async add(partnerId, key, windowStart) {
      // One statement: a later window starts the count again at 1; the same window adds one; an earlier
      // one (a process whose clock is behind) counts in the window already open, never resets it.
      const row = await db
        .insertInto('request_rates')
        .values({ partner_id: partnerId, key, window_start: windowStart, count: 1 })
        .onConflict((oc) =>
          oc.columns(['partner_id', 'key']).doUpdateSet({
            count: sql`CASE WHEN excluded.window_start > request_rates.window_start THEN 1 ELSE request_rates.count + 1 END`,
            window_start: sql`greatest(request_rates.window_start, excluded.window_start)`,
          }),
        )
        .returning(['count', 'window_start'])
        .executeTakeFirstOrThrow();
      return { count: row.count, windowStart: row.window_start };
    },
  };
}
