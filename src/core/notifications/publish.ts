import type { Tenant } from '../partners/partner.js';
import type { CoreDeps } from '../ports.js';
import { subscribes } from '../webhooks/endpoint.js';
import type { EventType, OutboundEvent } from './event.js';
import { type JobKind, maxAttempts } from './job.js';

/**
 * Records an event and, in the same transaction, one delivery job per endpoint subscribed to it:
 * nothing is sent that was not committed, and nothing committed is left unsent.
 */
export async function publish(
  deps: CoreDeps,
  tenant: Tenant,
  type: EventType,
  subjectId: string,
  data: Record<string, unknown>,
): Promise<OutboundEvent> {
  const event: OutboundEvent = {
    id: deps.ids.next('event'),
    partnerId: tenant.partnerId,
    mode: tenant.mode,
    type,
    subjectId,
    data,
    occurredAt: deps.clock.now(),
  };
  await deps.repos.notifications.insert(event);
  const endpoints = await deps.repos.webhooks.list(tenant);
  for (const endpoint of endpoints.filter((e) => subscribes(e, type))) {
    await enqueue(
      deps,
      tenant,
      'webhook',
      { eventId: event.id, endpointId: endpoint.id },
      {
        endpointId: endpoint.id,
        eventId: event.id,
        subjectId,
      },
    );
  }
  return event;
}

export async function enqueue(
  deps: CoreDeps,
  tenant: Tenant,
  kind: JobKind,
  payload: Record<string, unknown>,
  extra: { runAt?: Date; endpointId?: string; eventId?: string; subjectId?: string } = {},
): Promise<void> {
  await deps.repos.jobs.enqueue({
    partnerId: tenant.partnerId,
    mode: tenant.mode,
    id: deps.ids.next('job'),
    kind,
    payload,
    runAt: extra.runAt ?? deps.clock.now(),
    maxAttempts: maxAttempts(kind),
    ...(extra.endpointId ? { endpointId: extra.endpointId } : {}),
    ...(extra.eventId ? { eventId: extra.eventId } : {}),
    ...(extra.subjectId ? { subjectId: extra.subjectId } : {}),
  });
}
