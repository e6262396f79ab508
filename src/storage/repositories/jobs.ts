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
  ...(r.subject_id ? { subjectId: r.subject_id } : {}),
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
          subject_id: j.subjectId ?? null,
          created_at: j.runAt,
          finished_at: null,
        })
        .execute();
    },
    async claim(now, limit, leaseMs, perEndpoint = limit) {
      // One statement: pick ready rows no other worker holds (SKIP LOCKED) and lease them, so two workers
      // never take the same job, and a job whose worker died is ready again once its lease runs out.
      // Per policy and endpoint, only the oldest unfinished job is ready: a later event of a policy waits
      // while an earlier one is in flight or waiting for its retry (a job in flight stays 'pending' until
      // finished), so a policy's events reach each endpoint in order however many workers and slots there
      // are. Per endpoint, at most `perEndpoint` jobs are leased at once (counting every worker's), so a
      // receiver that hangs holds that many slots, never all of them.
      // Each endpoint's ready jobs are read in order from an index (migration 020) and the read stops at
      // its free slots: a claim costs what it hands out, not the backlog behind it (issue #12).
      const until = new Date(now.getTime() + leaseMs);
      const result = await sql<Selectable<JobsTable>>`
        WITH RECURSIVE endpoints AS (
          -- The endpoints with pending jobs, one index probe each (a skip scan), however long their queues.
          (SELECT partner_id, endpoint_id FROM jobs
           WHERE status = 'pending' AND endpoint_id IS NOT NULL
           ORDER BY partner_id, endpoint_id LIMIT 1)
          UNION ALL
          SELECT n.partner_id, n.endpoint_id FROM endpoints e
          CROSS JOIN LATERAL (
            SELECT partner_id, endpoint_id FROM jobs
            WHERE status = 'pending' AND endpoint_id IS NOT NULL
              AND (partner_id, endpoint_id) > (e.partner_id, e.endpoint_id)
            ORDER BY partner_id, endpoint_id LIMIT 1) n),
        picked AS (
          SELECT h.partner_id, h.id, h.run_at FROM endpoints e
          CROSS JOIN LATERAL (
            SELECT j.partner_id, j.id, j.run_at FROM jobs j
            WHERE j.partner_id = e.partner_id AND j.endpoint_id = e.endpoint_id AND j.status = 'pending'
              AND j.run_at <= ${now} AND (j.locked_until IS NULL OR j.locked_until <= ${now})
              AND (j.subject_id IS NULL OR NOT EXISTS (
                SELECT 1 FROM jobs b
                WHERE b.partner_id = j.partner_id AND b.endpoint_id = j.endpoint_id AND b.subject_id = j.subject_id
                  AND b.id < j.id AND b.status = 'pending'))
            ORDER BY j.run_at, j.id
            LIMIT greatest(0, ${perEndpoint}::int - (
              SELECT count(*) FROM jobs l
              WHERE l.partner_id = e.partner_id AND l.endpoint_id = e.endpoint_id AND l.status = 'pending'
                AND l.locked_until > ${now}))
            FOR UPDATE SKIP LOCKED) h
          UNION ALL
          SELECT * FROM (
            SELECT partner_id, id, run_at FROM jobs
            WHERE status = 'pending' AND endpoint_id IS NULL AND run_at <= ${now}
              AND (locked_until IS NULL OR locked_until <= ${now})
            ORDER BY run_at, id
            LIMIT ${limit}
            FOR UPDATE SKIP LOCKED) alone)
        UPDATE jobs SET locked_until = ${until}, attempts = attempts + 1
        FROM (SELECT partner_id, id FROM picked ORDER BY run_at, id LIMIT ${limit}) p
        WHERE jobs.partner_id = p.partner_id AND jobs.id = p.id
        RETURNING jobs.*`.execute(db);
      return result.rows
        .map(toJob)
        .sort((a, b) => a.runAt.getTime() - b.runAt.getTime() || a.id.localeCompare(b.id));
    },
    async finish(finished) {
      if (finished.length === 0) return;
      await db
        .insertInto('job_attempts')
        .values(
          finished.map(({ job, attempt }) => ({
            partner_id: job.partnerId,
            job_id: job.id,
            attempt: attempt.attempt,
            started_at: attempt.startedAt,
            duration_ms: attempt.durationMs,
            outcome: attempt.outcome,
            response_status: attempt.responseStatus,
            error: attempt.error,
          })),
        )
        .onConflict((oc) => oc.columns(['partner_id', 'job_id', 'attempt']).doNothing())
        .execute();
      const rows = finished.map(
        ({ job, attempt, next }) =>
          sql`(${job.partnerId}::text, ${job.mode}::text, ${job.id}::text, ${next.status}::text, ${next.status === 'pending' ? next.runAt : null}::timestamptz, ${attempt.error}::text, ${attempt.startedAt}::timestamptz)`,
      );
      await sql`
        UPDATE jobs SET status = v.status, locked_until = NULL, last_error = v.error,
          run_at = coalesce(v.run_at, jobs.run_at),
          finished_at = CASE WHEN v.status = 'pending' THEN jobs.finished_at ELSE v.started_at END
        FROM (VALUES ${sql.join(rows)}) AS v(partner_id, mode, id, status, run_at, error, started_at)
        WHERE jobs.partner_id = v.partner_id AND jobs.mode = v.mode AND jobs.id = v.id AND jobs.status = 'pending'`.execute(
        db,
      );
    },
    async get(tenant, id) {
      const r = await scoped(tenant).where('id', '=', id).executeTakeFirst();
      return r && toJob(r);
    },
    async list(tenant, f) {
      let q = scoped(tenant);
      if (f.endpointId) q = q.where('endpoint_id', '=', f.endpointId);
      if (f.kind) q = q.where('kind', '=', f.kind);
      if (f.subjectId) q = q.where('subject_id', '=', f.subjectId);
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
