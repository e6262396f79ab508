import { offerForStoreCart } from '../../../core/stores/offer-for-cart.js';
import type { App } from '../../context.js';
import type { Kit } from '../../kit/api.js';
import { SitooError } from './errors.js';
import { header } from './headers.js';
import {
  CartInsuranceBody,
  CartInsuranceResponse,
  READ_ONLY_ITEM_FIELDS,
  SitooErrorMessage,
} from './schemas.js';
import { cartJson, offerItems } from './wire.js';

/** CartInsurance: the insurance options for every line of a POS cart. */
export async function cartInsuranceRoutes(app: App, kit: Kit): Promise<void> {
  app.post(
    '/cart-insurances',
    {
      schema: {
        summary: 'Create cart insurance (Sitoo POS)',
        description:
          'Insurance options for every line of a POS cart: a "none" option first, then one per product and term that covers the line, priced per unit incl. VAT. Headers: Store-ID (required, one of the partner\'s stores), Staff-ID, Register-ID, Request-ID.',
        tags: ['sitoo'],
        body: CartInsuranceBody,
        response: { 201: CartInsuranceResponse, '4xx': SitooErrorMessage },
      },
      preValidation: async (request) => {
        const items = (request.body as { items?: unknown } | undefined)?.items;
        if (!Array.isArray(items)) return;
        items.forEach((item, i) => {
          if (item === null || typeof item !== 'object') return;
          for (const field of READ_ONLY_ITEM_FIELDS) {
            if (field in item) {
              throw new SitooError(
                400,
                'field-readonly',
                `items/${i}/${field} is read-only`,
                `items/${i}/${field}`,
              );
            }
          }
        });
      },
    },
    async (request, reply) => {
      const storeId = header(request, 'store-id');
      if (!storeId) throw new SitooError(400, 'field-missing', 'the Store-ID header is required', 'Store-ID');
      const cart = request.body;
      const refs: Record<string, string> = { cart_id: cart.id, store_id: storeId };
      const staff = header(request, 'staff-id');
      const register = header(request, 'register-id');
      if (staff) refs.staff_id = staff;
      if (register) refs.register_id = register;
      if (cart.customer_id) refs.customer_id = cart.customer_id;
      if (cart.crm_channel_id) refs.crm_channel_id = cart.crm_channel_id;
      return kit.write(
        request,
        reply,
        async (deps) => {
          const offer = await offerForStoreCart(deps, request.tenant, {
            storeId,
            currency: cart.currency_code,
            items: (currency) => offerItems(cart, currency),
            refs,
          });
          return { status: 201, body: cartJson(cart, offer) };
        },
        { oneStatement: true },
      );
    },
  );
}
