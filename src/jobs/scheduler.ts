import type { Clock } from '../core/clock.js';
import type { IdGenerator } from '../core/ids.js';
import { lapseOverdue } from '../core/instalments/lapse.js';
import { applyDue, RENEWAL_NOTICE_DAYS } from '../core/policies/schedule.js';
import type { DueKind } from '../core/ports.js';
import type { Database } from '../storage/database.js';

const KINDS: DueKind[] = ['activation', 'expiry', 'renewal_notice'];

/**
 * Moves policies whose time has come: cover begins, cover ends, renewal falls due, cover lapses for an
 * unpaid instalment. Each policy changes in its own transaction, so one bad row does not hold back the
 * rest. Also forgets idempotency keys past their 48 hours. Returns how many policies changed.
 */
export async function runSchedule(
  db: Database,
  clock: Clock,
  ids: IdGenerator,
  batch = 200,
): Promise<number> {
  let changed = 0;
  for (const kind of KINDS) {
    const due = await db.read.policies.due(kind, clock.now(), batch, RENEWAL_NOTICE_DAYS);
    for (const { tenant, id } of due) {
      const result = await db.transaction((repos) => applyDue({ repos, clock, ids }, kind, tenant, id));
      if (result) changed += 1;
    }
  }
  const overdue = await db.read.instalments.overdue(clock.now(), batch);
  for (const { tenant, policyId } of overdue) {
    const result = await db.transaction((repos) => lapseOverdue({ repos, clock, ids }, tenant, policyId));
    if (result) changed += 1;
  }
  await db.read.idempotency.purgeExpired(clock.now());
  return changed;
}
