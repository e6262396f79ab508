import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { createOffer } from '../../core/offers/create-offer.js';
import type { App } from '../context.js';
import type { Kit } from '../kit/api.js';
import { toItem } from './input.js';
import { CreateOfferBody, OfferSchema } from './schemas.js';
import { offerJson, toRefs } from './wire.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route takes a publishable key (in its path) instead of a secret API key. */
    publishableKey?: boolean;
  }
}

/** The path of the offer widget's route: the publishable key is in it, so a CORS preflight can name it. */
export const WIDGET_OFFERS = /^\/v1\/widget\/(pk_(?:test|live)_[\w-]+)\/offers\/?(?:\?.*)?$/;

const WidgetParams = Type.Object(
  { publishable_key: Type.String({ minLength: 1, maxLength: 100, pattern: '^pk_(test|live)_' }) },
  { additionalProperties: false },
);

export async function offerRoutes(app: App, kit: Kit): Promise<void> {
  const create = (request: FastifyRequest<{ Body: CreateOfferBody }>, reply: FastifyReply) =>
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
    );

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
    create,
  );

  app.post(
    '/widget/:publishable_key/offers',
    {
      config: { publishableKey: true },
      schema: {
        summary: 'Price protection from a shop page, with a publishable key (the offer widget)',
        description:
          "The same offer as POST /v1/offers, asked by the browser with the partner's publishable key (pk_…) in the path, from one of the origins the partner allowed for it (Origin header; CORS answers only those). A publishable key can do nothing else.",
        tags: ['offers'],
        params: WidgetParams,
        body: CreateOfferBody,
        response: { 201: OfferSchema },
      },
    },
    create,
  );
}
