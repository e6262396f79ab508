import type { Kysely, Selectable } from 'kysely';
import type { Tenant } from '../../core/partners/partner.js';
import type { WebhookRepository } from '../../core/ports.js';
import type { WebhookEndpoint, WebhookFormat } from '../../core/webhooks/endpoint.js';
import type { Tables, WebhookEndpointsTable } from '../schema.js';
import type { SecretBox } from '../secret-box.js';

export function webhookRepository(db: Kysely<Tables>, box: SecretBox): WebhookRepository {
  const columns = (e: WebhookEndpoint) => ({
    url: e.url,
    event_types: JSON.stringify(e.eventTypes),
    format: e.format,
    description: e.description,
    enabled: e.enabled,
    secret_enc: box.seal(e.secret),
    previous_secret_enc: e.previousSecret ? box.seal(e.previousSecret) : null,
    previous_expires_at: e.previousExpiresAt,
    updated_at: e.updatedAt,
  });
  const toEndpoint = (r: Selectable<WebhookEndpointsTable>): WebhookEndpoint => ({
    id: r.id,
    partnerId: r.partner_id,
    mode: r.mode,
    url: r.url,
    eventTypes: r.event_types,
    format: r.format as WebhookFormat,
    description: r.description,
    enabled: r.enabled,
    secret: box.open(r.secret_enc),
    previousSecret: r.previous_secret_enc ? box.open(r.previous_secret_enc) : null,
    previousExpiresAt: r.previous_expires_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  });
  const scoped = (tenant: Tenant) =>
    db
      .selectFrom('webhook_endpoints')
      .selectAll()
      .where('partner_id', '=', tenant.partnerId)
      .where('mode', '=', tenant.mode);
  return {
    async insert(e) {
      await db
        .insertInto('webhook_endpoints')
        .values({ partner_id: e.partnerId, mode: e.mode, id: e.id, created_at: e.createdAt, ...columns(e) })
        .execute();
    },
    async update(e) {
      await db
        .updateTable('webhook_endpoints')
        .set(columns(e))
        .where('partner_id', '=', e.partnerId)
        .where('mode', '=', e.mode)
        .where('id', '=', e.id)
        .execute();
    },
    async get(tenant, id) {
      const r = await scoped(tenant).where('id', '=', id).executeTakeFirst();
      return r && toEndpoint(r);
    },
    async list(tenant) {
      return (await scoped(tenant).orderBy('id').execute()).map(toEndpoint);
    },
  };
}
