import { notFound } from '../errors.js';
import type { Job, JobAttempt } from '../notifications/job.js';
import type { Tenant } from '../partners/partner.js';
import type { CoreDeps } from '../ports.js';
import { requireEndpoint } from './manage-endpoints.js';

export interface Delivery {
  job: Job;
  attempts: JobAttempt[];
}

/** An endpoint's delivery log, newest first: each delivery with every attempt made. */
export async function listDeliveries(
  deps: CoreDeps,
  tenant: Tenant,
  endpointId: string,
  limit: number,
): Promise<Delivery[]> {
  await requireEndpoint(deps, tenant, endpointId);
  const jobs = await deps.repos.jobs.list(tenant, { endpointId, kind: 'webhook', limit });
  const out: Delivery[] = [];
  for (const job of jobs) out.push({ job, attempts: await deps.repos.jobs.attempts(tenant, job.id) });
  return out;
}

/** Sends a delivery again now (a receiver fixed its endpoint), with one more attempt allowed. */
export async function redeliverWebhook(
  deps: CoreDeps,
  tenant: Tenant,
  deliveryId: string,
): Promise<Delivery> {
  const job = await deps.repos.jobs.get(tenant, deliveryId);
  if (job?.kind !== 'webhook') throw notFound('webhook delivery', 'id');
  await deps.repos.jobs.requeue(tenant, job.id, deps.clock.now());
  const requeued = (await deps.repos.jobs.get(tenant, job.id))!;
  return { job: requeued, attempts: await deps.repos.jobs.attempts(tenant, job.id) };
}
