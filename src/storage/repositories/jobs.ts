import { type Kysely, type Selectable, sql } from 'kysely';
import type { Job, JobKind } from '../../core/notifications/job.js';
import type { Tenant } from '../../core/partners/partner.js';
import type { JobRepository } from '../../core/ports.js';
import type { JobsTable, Tables } from '../schema.js';

const toJob = (r: Selectable<JobsTable>): Job => ({
  partnerId: r.partner_id,
  mode: r.mode,
  id: r.id,
  kind: r.kind as JobKind,
  payload: r.payload,
  status: r.status,
  runAt: r.run_at,
  attempts: r.attempts,
  maxAttempts: r.max_attempts,
  lockedUntil: r.locked_until,
  lastError: r.last_error,
  ...(r.endpoint_id ? { endpointId: r.endpoint_id } : {}),
  ...(r.event_id ? { eventId: r.event_id } : {}),
  createdAt: r.created_at,
  finishedAt: r.finished_at,
});

export function jobRepository(db: Kysely<Tables>): JobRepository {
  const scoped = (tenant: Tenant) =>
    db
      .selectFrom('jobs')
      .selectAll()
      .where('partner_id', '=', tenant.partnerId)
      .where('mode', '=', tenant.mode);
  return {
    async enqueue(j) {
      await db
        .insertInto('jobs')
        .values({
          partner_id: j.partnerId,
          mode: j.mode,
          id: j.id,
          kind: j.kind,
          payload: JSON.stringify(j.payload),
          status: 'pending',
          run_at: j.runAt,
          max_attempts: j.maxAttempts,
          locked_until: null,
          last_error: null,
          endpoint_id: j.endpointId ?? null,
          event_id: j.eventId ?? null,
          created_at: j.runAt,
          finished_at: null,
        })
        .execute();
    },
    async claim(now, limit, leaseMs) {
      // One statement: pick ready rows no other worker holds (SKIP LOCKED) and lease them, so two workers
      // never take the same job, and a job whose worker died is ready again once its lease runs out.
      const result = await sql<Selectable<JobsTable>>`
        UPDATE jobs SET locked_until = ${new Date(now.getTime() + leaseMs)}, attempts = attempts + 1
        WHERE (partner_id, id) IN (
          SELECT partner_id, id FROM jobs
          WHERE status = 'pending' AND run_at <= ${now} AND (locked_until IS NULL OR locked_until <= ${now})
          ORDER BY run_at, id
          LIMIT ${limit}
          FOR UPDATE SKIP LOCKED)
        RETURNING *`.execute(db);
      return result.rows
        .map(toJob)
        .sort((a, b) => a.runAt.getTime() - b.runAt.getTime() || a.id.localeCompare(b.id));
    },
    async finish(job, attempt, next) {
      await db
        .insertInto('job_attempts')
        .values({
          partner_id: job.partnerId,
          job_id: job.id,
          attempt: attempt.attempt,
          started_at: attempt.startedAt,
          duration_ms: attempt.durationMs,
          outcome: attempt.outcome,
          response_status: attempt.responseStatus,
          error: attempt.error,
        })
        .onConflict((oc) => oc.columns(['partner_id', 'job_id', 'attempt']).doNothing())
        .execute();
      await db
        .updateTable('jobs')
        .set({
          status: next.status,
          locked_until: null,
          last_error: attempt.error,
          ...(next.status === 'pending' ? { run_at: next.runAt } : { finished_at: attempt.startedAt }),
        })
        .where('partner_id', '=', job.partnerId)
        .where('mode', '=', job.mode)
        .where('id', '=', job.id)
        .where('status', '=', 'pending')
        .execute();
    },
    async get(tenant, id) {
      const r = await scoped(tenant).where('id', '=', id).executeTakeFirst();
      return r && toJob(r);
    },
    async list(tenant, f) {
      let q = scoped(tenant);
      if (f.endpointId) q = q.where('endpoint_id', '=', f.endpointId);
      if (f.kind) q = q.where('kind', '=', f.kind);
      return (await q.orderBy('id', 'desc').limit(f.limit).execute()).map(toJob);
    },
    async attempts(tenant, jobId) {
      const rows = await db
        .selectFrom('job_attempts')
        .selectAll()
        .where('partner_id', '=', tenant.partnerId)
        // job_attempts has no mode column: the job it belongs to carries the tenant's mode.
        .where('job_id', 'in', (eb) =>
          eb
            .selectFrom('jobs')
            .select('id')
            .where('partner_id', '=', tenant.partnerId)
            .where('mode', '=', tenant.mode)
            .where('id', '=', jobId),
        )
        .orderBy('attempt')
        .execute();
      return rows.map((r) => ({
        jobId: r.job_id,
        attempt: r.attempt,
        startedAt: r.started_at,
        durationMs: r.duration_ms,
        outcome: r.outcome,
        responseStatus: r.response_status,
        error: r.error,
      }));
    },
    async requeue(tenant, id, now) {
      await db
        .updateTable('jobs')
        .set((eb) => ({
          status: 'pending',
          run_at: now,
          locked_until: null,
          finished_at: null,
          max_attempts: sql<number>`greatest(${eb.ref('max_attempts')}, ${eb.ref('attempts')} + 1)`,
        }))
        .where('partner_id', '=', tenant.partnerId)
        .where('mode', '=', tenant.mode)
        .where('id', '=', id)
        .execute();
    },
  };
}
