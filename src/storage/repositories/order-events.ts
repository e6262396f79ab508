import type { Kysely } from 'kysely';
import type { OrderEvent, OrderEventInput } from '../../core/orders/order-event.js';
import type { OrderEventRepository } from '../../core/ports.js';
import { openPersonalData, sealPersonalData } from '../personal-data.js';
import type { Tables } from '../schema.js';
import type { SecretBox } from '../secret-box.js';
import { reviveDates } from './json.js';

export function orderEventRepository(db: Kysely<Tables>, box: SecretBox): OrderEventRepository {
  return {
    async insert(e) {
      await db
        .insertInto('order_events')
        .values({
          partner_id: e.partnerId,
          mode: e.mode,
          id: e.id,
          order_id: e.orderId,
          type: e.type,
          occurred_at: e.occurredAt,
          payload: JSON.stringify(sealPersonalData(e.payload, box)),
          policy_ids: JSON.stringify(e.policyIds),
          created_at: e.createdAt,
        })
        .execute();
    },
    async list(tenant, orderId) {
      const rows = await db
        .selectFrom('order_events')
        .selectAll()
        .where('partner_id', '=', tenant.partnerId)
        .where('mode', '=', tenant.mode)
        .where('order_id', '=', orderId)
        .orderBy('id')
        .execute();
      return rows.map(
        (r): OrderEvent => ({
          id: r.id,
          partnerId: r.partner_id,
          mode: r.mode,
          orderId: r.order_id,
          type: r.type as OrderEvent['type'],
          occurredAt: r.occurred_at,
          payload: revivePayload(openPersonalData(r.payload as OrderEventInput, box)),
          policyIds: r.policy_ids,
          createdAt: r.created_at,
        }),
      );
    },
  };
}

/** The payload as stored is JSON: its dates come back as Dates, as OrderEventInput types them. */
function revivePayload(payload: OrderEventInput): OrderEventInput {
  const date = (v: unknown) => (typeof v === 'string' ? new Date(v) : (v as Date));
  const revived = { ...payload, ...(payload.occurredAt ? { occurredAt: date(payload.occurredAt) } : {}) };
  if (revived.type === 'order_placed') {
    revived.lines = revived.lines.map((l) =>
      l.item ? { ...l, item: reviveDates(l.item, ['purchasedAt']) } : l,
    );
  } else if (revived.type === 'fulfilled' || revived.type === 'refunded') {
    revived.lines = revived.lines.map((l) => (l.at ? { ...l, at: date(l.at) } : l));
  }
  return revived;
}
