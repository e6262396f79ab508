import { type Static, Type } from 'typebox';
import { EVENT_TYPES } from '../../core/notifications/event.js';
import type { Job, JobAttempt } from '../../core/notifications/job.js';
import type { Tenant } from '../../core/partners/partner.js';
import type { CoreDeps } from '../../core/ports.js';
import { listDeliveries, redeliverWebhook } from '../../core/webhooks/deliveries.js';
import type { WebhookEndpoint } from '../../core/webhooks/endpoint.js';
import {
  createEndpoint,
  requireEndpoint,
  rotateSecret,
  updateEndpoint,
} from '../../core/webhooks/manage-endpoints.js';
import { type App, readDeps } from '../context.js';
import type { Kit } from '../kit/api.js';
import {
  DeliveryListSchema,
  DeliverySchema,
  IdParams,
  WebhookEndpointListSchema,
  WebhookEndpointSchema,
} from './schemas.js';

const strict = { additionalProperties: false } as const;
const EventTypes = Type.Array(Type.Union([Type.Literal('*'), ...EVENT_TYPES.map((t) => Type.Literal(t))]), {
  minItems: 1,
  maxItems: EVENT_TYPES.length + 1,
  description: 'event types to deliver; "*" for all',
});
export const EndpointBody = Type.Object(
  {
    url: Type.String({ format: 'uri', maxLength: 2000 }),
    event_types: EventTypes,
    description: Type.Optional(Type.String({ maxLength: 500 })),
  },
  strict,
);
const EndpointPatch = Type.Object(
  {
    url: Type.Optional(Type.String({ format: 'uri', maxLength: 2000 })),
    event_types: Type.Optional(EventTypes),
    description: Type.Optional(Type.String({ maxLength: 500 })),
    enabled: Type.Optional(Type.Boolean()),
  },
  strict,
);
const RotateBody = Type.Object(
  { overlap_hours: Type.Optional(Type.Integer({ minimum: 0, maximum: 168, default: 24 })) },
  strict,
);
const DeliveriesQuery = Type.Object(
  { limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }) },
  strict,
);

/** Secrets are shown when made (create, rotate) and never again. */
export function endpointJson(e: WebhookEndpoint, withSecret = false) {
  return {
    id: e.id,
    object: 'webhook_endpoint' as const,
    mode: e.mode,
    url: e.url,
    event_types: e.eventTypes,
    format: e.format,
    description: e.description,
    enabled: e.enabled,
    created_at: e.createdAt.toISOString(),
    updated_at: e.updatedAt.toISOString(),
    ...(withSecret ? { secret: e.secret } : {}),
  };
}

function deliveryJson(job: Job, attempts: JobAttempt[]) {
  return {
    id: job.id,
    object: 'webhook_delivery' as const,
    event_id: job.eventId ?? null,
    endpoint_id: job.endpointId ?? null,
    status: job.status,
    attempts: job.attempts,
    max_attempts: job.maxAttempts,
    next_attempt_at: job.status === 'pending' ? job.runAt.toISOString() : null,
    last_error: job.lastError,
    created_at: job.createdAt.toISOString(),
    finished_at: job.finishedAt?.toISOString() ?? null,
    log: attempts.map((a) => ({
      attempt: a.attempt,
      at: a.startedAt.toISOString(),
      outcome: a.outcome,
      response_status: a.responseStatus,
      latency_ms: a.durationMs,
      error: a.error,
    })),
  };
}

export async function deliveries(deps: CoreDeps, tenant: Tenant, endpointId: string, limit: number) {
  const list = await listDeliveries(deps, tenant, endpointId, limit);
  return { object: 'list' as const, data: list.map((d) => deliveryJson(d.job, d.attempts)) };
}

export async function redeliver(deps: CoreDeps, tenant: Tenant, deliveryId: string) {
  const { job, attempts } = await redeliverWebhook(deps, tenant, deliveryId);
  return deliveryJson(job, attempts);
}

export function toEndpointInput(body: Static<typeof EndpointBody>) {
  return {
    url: body.url,
    eventTypes: body.event_types,
    ...(body.description !== undefined ? { description: body.description } : {}),
  };
}

export async function webhookRoutes(app: App, kit: Kit): Promise<void> {
  const tags = ['webhooks'];
  app.post(
    '/webhook-endpoints',
    {
      schema: {
        summary: 'Register a webhook endpoint',
        description:
          'Deliveries follow Standard Webhooks: headers webhook-id (the event id, the same on every retry), webhook-timestamp and webhook-signature (v1, HMAC-SHA256 with the whsec_ secret returned here, once). Retried with backoff for about a day, then dead-lettered.',
        tags,
        body: EndpointBody,
        response: { 201: WebhookEndpointSchema },
      },
    },
    async (request, reply) =>
      kit.write(request, reply, async (deps) => ({
        status: 201,
        body: endpointJson(await createEndpoint(deps, request.tenant, toEndpointInput(request.body)), true),
      })),
  );
  app.get(
    '/webhook-endpoints',
    { schema: { summary: 'List webhook endpoints', tags, response: { 200: WebhookEndpointListSchema } } },
    async (request) => ({
      object: 'list' as const,
      data: (await app.protego.db.read.webhooks.list(request.tenant)).map((e) => endpointJson(e)),
    }),
  );
  app.get(
    '/webhook-endpoints/:id',
    {
      schema: {
        summary: 'Get a webhook endpoint',
        tags,
        params: IdParams,
        response: { 200: WebhookEndpointSchema },
      },
    },
    async (request) =>
      endpointJson(await requireEndpoint(readDeps(app.protego), request.tenant, request.params.id)),
  );
  app.patch(
    '/webhook-endpoints/:id',
    {
      schema: {
        summary: 'Change or disable a webhook endpoint',
        tags,
        params: IdParams,
        body: EndpointPatch,
        response: { 200: WebhookEndpointSchema },
      },
    },
    async (request, reply) =>
      kit.write(request, reply, async (deps) => {
        const b = request.body;
        const endpoint = await updateEndpoint(deps, request.tenant, request.params.id, {
          ...(b.url !== undefined ? { url: b.url } : {}),
          ...(b.event_types !== undefined ? { eventTypes: b.event_types } : {}),
          ...(b.description !== undefined ? { description: b.description } : {}),
          ...(b.enabled !== undefined ? { enabled: b.enabled } : {}),
        });
        return { status: 200, body: endpointJson(endpoint) };
      }),
  );
  app.post(
    '/webhook-endpoints/:id/rotate-secret',
    {
      schema: {
        summary: 'Rotate the signing secret',
        description:
          'The new secret is returned once. For `overlap_hours` (default 24) deliveries carry two signatures, one per secret, so a receiver can switch without missing one.',
        tags,
        params: IdParams,
        body: RotateBody,
        response: { 200: WebhookEndpointSchema },
      },
    },
    async (request, reply) =>
      kit.write(request, reply, async (deps) => {
        const hours = request.body.overlap_hours ?? 24;
        const endpoint = await rotateSecret(deps, request.tenant, request.params.id, hours / 24);
        return { status: 200, body: endpointJson(endpoint, true) };
      }),
  );
  app.get(
    '/webhook-endpoints/:id/deliveries',
    {
      schema: {
        summary: "An endpoint's delivery log",
        description: 'Newest first: status, every attempt with its response code and latency.',
        tags,
        params: IdParams,
        querystring: DeliveriesQuery,
        response: { 200: DeliveryListSchema },
      },
    },
    async (request) =>
      deliveries(readDeps(app.protego), request.tenant, request.params.id, request.query.limit),
  );
  app.post(
    '/webhook-deliveries/:id/redeliver',
    {
      schema: { summary: 'Send a delivery again', tags, params: IdParams, response: { 202: DeliverySchema } },
    },
    async (request, reply) =>
      kit.write(request, reply, async (deps) => ({
        status: 202,
        body: await redeliver(deps, request.tenant, request.params.id),
      })),
  );
}
