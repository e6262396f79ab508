import { addDays } from '../clock.js';
import { notFound } from '../errors.js';
import type { Tenant } from '../partners/partner.js';
import type { CoreDeps } from '../ports.js';
import {
  newWebhookSecret,
  validateEndpointInput,
  type WebhookEndpoint,
  type WebhookFormat,
} from './endpoint.js';

export interface EndpointInput {
  url: string;
  eventTypes: string[];
  description?: string;
  format?: WebhookFormat;
}

export async function createEndpoint(
  deps: CoreDeps,
  tenant: Tenant,
  input: EndpointInput,
): Promise<WebhookEndpoint> {
  validateEndpointInput(input, tenant.mode === 'test');
  const now = deps.clock.now();
  const endpoint: WebhookEndpoint = {
    id: deps.ids.next('webhookEndpoint'),
    partnerId: tenant.partnerId,
    mode: tenant.mode,
    url: input.url,
    eventTypes: input.eventTypes,
    format: input.format ?? 'standard',
    description: input.description ?? null,
    enabled: true,
    secret: newWebhookSecret(),
    previousSecret: null,
    previousExpiresAt: null,
    createdAt: now,
    updatedAt: now,
  };
  await deps.repos.webhooks.insert(endpoint);
  return endpoint;
}

export async function requireEndpoint(deps: CoreDeps, tenant: Tenant, id: string): Promise<WebhookEndpoint> {
  const endpoint = await deps.repos.webhooks.get(tenant, id);
  if (!endpoint) throw notFound('webhook endpoint', 'id');
  return endpoint;
}

export async function updateEndpoint(
  deps: CoreDeps,
  tenant: Tenant,
  id: string,
  change: Partial<EndpointInput> & { enabled?: boolean },
): Promise<WebhookEndpoint> {
  const endpoint = await requireEndpoint(deps, tenant, id);
  const next: WebhookEndpoint = {
    ...endpoint,
    ...(change.url !== undefined ? { url: change.url } : {}),
    ...(change.eventTypes !== undefined ? { eventTypes: change.eventTypes } : {}),
    ...(change.description !== undefined ? { description: change.description } : {}),
    ...(change.enabled !== undefined ? { enabled: change.enabled } : {}),
    updatedAt: deps.clock.now(),
  };
  validateEndpointInput(next, tenant.mode === 'test');
  await deps.repos.webhooks.update(next);
  return next;
}

/** A new secret signs from now on; the old one keeps signing too for `overlapDays`, so receivers can switch. */
export async function rotateSecret(
  deps: CoreDeps,
  tenant: Tenant,
  id: string,
  overlapDays = 1,
): Promise<WebhookEndpoint> {
  const endpoint = await requireEndpoint(deps, tenant, id);
  const now = deps.clock.now();
  const next: WebhookEndpoint = {
    ...endpoint,
    secret: newWebhookSecret(),
    previousSecret: endpoint.secret,
    previousExpiresAt: addDays(now, overlapDays),
    updatedAt: now,
  };
  await deps.repos.webhooks.update(next);
  return next;
}
