import { checkoutCart, postCart, requireCart } from '../../../core/carts/manage-carts.js';
import type { App } from '../../context.js';
import type { Kit } from '../../kit/api.js';
import {
  CartBody,
  CartParams,
  CartResponse,
  CheckoutBody,
  CheckoutResponse,
  PlanConnectionsResponse,
  SessionQuery,
} from './schemas.js';
import { actionsJson, cartLines } from './wire.js';

/** The cart: kept in step by actions, its plan connections, and its checkout as an order. */
export async function cartRoutes(app: App, kit: Kit): Promise<void> {
  const tags = ['hakuna'];
  app.post(
    '/carts',
    {
      schema: {
        summary: 'Tell Protego the cart changed (Hakuna)',
        description:
          'The whole cart, after every change. The answer lists the actions that bring it back to a valid state (plan lines only): perform them and post the cart again until none is left.',
        tags,
        body: CartBody,
        response: { 200: CartResponse },
      },
    },
    async (request, reply) => {
      const b = request.body;
      return kit.write(request, reply, async (deps) => {
        const { cart, actions } = await postCart(deps, request.tenant, {
          cartId: b.cart_id,
          sessionId: b.user_session_id,
          currency: b.cart_currency,
          lines: cartLines(b.line_items),
        });
        return {
          status: 200,
          body: { cart_id: cart.cartId, user_session_id: cart.sessionId, actions: actionsJson(actions) },
        };
      });
    },
  );

  app.get(
    '/carts/:cart_id/plan-connections',
    {
      schema: {
        summary: 'Plan and product line connections of a cart (Hakuna)',
        tags,
        params: CartParams,
        querystring: SessionQuery,
        response: { 200: PlanConnectionsResponse },
      },
    },
    async (request) => {
      const cart = await requireCart(
        kit.read,
        request.tenant,
        request.params.cart_id,
        request.query.user_session_id,
      );
      return {
        cart_id: cart.cartId,
        plan_connections: cart.connections.map((c) => ({
          product_line_item_id: c.productLineId,
          plan_line_item_id: c.planLineId,
        })),
      };
    },
  );

  app.post(
    '/checkouts',
    {
      schema: {
        summary: 'Tell Protego the cart was checked out (Hakuna)',
        description: 'Links the cart to the order its ERP events will name.',
        tags,
        body: CheckoutBody,
        response: { 200: CheckoutResponse },
      },
    },
    async (request, reply) => {
      const b = request.body;
      return kit.write(request, reply, async (deps) => {
        const cart = await checkoutCart(deps, request.tenant, {
          cartId: b.cart_id,
          sessionId: b.user_session_id,
          orderId: b.order_id,
        });
        return {
          status: 200,
          body: { cart_id: cart.cartId, user_session_id: cart.sessionId, order_id: b.order_id },
        };
      });
    },
  );
}
