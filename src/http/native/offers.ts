import { createOffer } from '../../core/offers/create-offer.js';
import type { App } from '../context.js';
import type { Kit } from '../kit/api.js';
import { toItem } from './input.js';
import { CreateOfferBody, OfferSchema } from './schemas.js';
import { offerJson, toRefs } from './wire.js';

export async function offerRoutes(app: App, kit: Kit): Promise<void> {
  app.post(
    '/offers',
    {
      schema: {
        summary: 'Price protection for an item or a whole cart',
        description:
          'Every product the partner sells that covers an item is offered in each of its terms, priced from the catalog. Bind an option with POST /v1/policies or an order_placed event before `expires_at`.',
        tags: ['offers'],
        body: CreateOfferBody,
        response: { 201: OfferSchema },
      },
    },
    async (request, reply) =>
      kit.write(
        request,
        reply,
        async (deps) => {
          const body = request.body;
          const offer = await createOffer(deps, request.tenant, {
            country: body.country.toUpperCase(),
            ...(body.language ? { language: body.language } : {}),
            items: body.items.map(({ ref, quantity, ...item }) => ({ ref, quantity, item: toItem(item) })),
            refs: toRefs(body.refs),
          });
          return { status: 201, body: offerJson(offer) };
        },
        { oneStatement: true },
      ),
  );
}
