import { placeMerchantOrder } from '../../../core/carts/place-merchant-order.js';
import { applyOrderEvent } from '../../../core/orders/apply-order-event.js';
import type { App } from '../../context.js';
import type { Kit } from '../../kit/api.js';
import { EventBody, EventResponse } from './schemas.js';
import { inEventFields, merchantOrder, orderEvent } from './wire.js';

/** The ERP's order events: placed, fulfilled, refunded, cancelled. */
export async function eventRoutes(app: App, kit: Kit): Promise<void> {
  app.post(
    '/events',
    {
      schema: {
        summary: 'Publish an order event (Hakuna ERP)',
        description: [
          '`order_placed` binds one policy per unit of every plan line, to the product line its',
          '`custom_properties.product_reference` names (else the one the checked-out cart connects it to), at the',
          "plan line's price or refused. `order_fulfillment_added` starts cover; `order_refund_added` ends the plans",
          'of refunded lines with their refund; `order_cancelled` voids what has not started. An event posted again',
          '(same type, lines, quantities and times) answers the first `event_id` and changes nothing.',
        ].join(' '),
        tags: ['hakuna'],
        body: EventBody,
        response: { 201: EventResponse },
      },
    },
    async (request, reply) => {
      const body = request.body;
      return kit.write(request, reply, async (deps) => {
        const result = await inEventFields(body.type, () =>
          body.type === 'order_placed'
            ? placeMerchantOrder(deps, request.tenant, merchantOrder(body.payload))
            : applyOrderEvent(deps, request.tenant, orderEvent(body)),
        );
        return { status: 201, body: { event_id: result.event.id } };
      });
    },
  );
}
