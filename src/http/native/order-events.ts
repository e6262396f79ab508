import { applyOrderEvent } from '../../core/orders/apply-order-event.js';
import type { OrderEventInput } from '../../core/orders/order-event.js';
import type { App } from '../context.js';
import type { Kit } from '../kit/api.js';
import { toDate, toItem, toPolicyholder } from './input.js';
import { OrderEventBody, OrderEventResultSchema } from './schemas.js';
import { policyJson, toRefs } from './wire.js';

export async function orderEventRoutes(app: App, kit: Kit): Promise<void> {
  app.post(
    '/order-events',
    {
      schema: {
        summary: 'Tell Protego what happened to an order',
        description: [
          '`order_placed` binds one policy per unit of every protection line (a line with `protection.protects_line_id`);',
          'placing the same order again returns the same policies. `fulfilled` starts cover for products that start at',
          'fulfilment. `refunded` ends one policy per refunded unit, with its refund. `cancelled` voids what has not',
          'started and cancels the rest.',
        ].join(' '),
        tags: ['orders'],
        body: OrderEventBody,
        response: { 201: OrderEventResultSchema },
      },
    },
    async (request, reply) =>
      kit.write(request, reply, async (deps) => {
        const result = await applyOrderEvent(deps, request.tenant, toOrderEvent(request.body));
        return {
          status: 201,
          body: {
            object: 'order_event',
            id: result.event.id,
            type: result.event.type,
            order_id: result.event.orderId,
            occurred_at: result.event.occurredAt.toISOString(),
            policies: result.policies.map(policyJson),
          },
        };
      }),
  );
}

function toOrderEvent(body: OrderEventBody): OrderEventInput {
  const occurredAt = toDate(body.occurred_at);
  const common = { orderId: body.order_id, ...(occurredAt ? { occurredAt } : {}) };
  switch (body.type) {
    case 'order_placed':
      return {
        type: body.type,
        ...common,
        country: body.country.toUpperCase(),
        customer: toPolicyholder(body.customer),
        refs: toRefs(body.refs),
        lines: body.lines.map(({ line_id, quantity, item, protection: p }) => ({
          lineId: line_id,
          quantity,
          ...(item ? { item: toItem(item) } : {}),
          ...(p
            ? {
                protection: {
                  protectsLineId: p.protects_line_id,
                  ...(p.offer_id !== undefined ? { offerId: p.offer_id } : {}),
                  ...(p.option_id !== undefined ? { optionId: p.option_id } : {}),
                  ...(p.product_code !== undefined ? { productCode: p.product_code } : {}),
                  ...(p.term_months !== undefined ? { termMonths: p.term_months } : {}),
                },
              }
            : {}),
        })),
      };
    case 'fulfilled':
    case 'refunded':
      return {
        type: body.type,
        ...common,
        lines: body.lines.map(({ line_id, quantity, at }) => ({
          lineId: line_id,
          quantity,
          ...(at ? { at: new Date(at) } : {}),
        })),
      };
    case 'cancelled':
      return { type: body.type, ...common };
  }
}
