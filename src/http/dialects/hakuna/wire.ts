import type { CartAction, CartLine } from '../../../core/carts/cart.js';
import type { MerchantOrderInput } from '../../../core/carts/place-merchant-order.js';
import { displayContent } from '../../../core/catalog/display.js';
import type { ProductPlans } from '../../../core/catalog/plans-for-product.js';
import { CoreError, isCoreError } from '../../../core/errors.js';
import type { OrderEventInput } from '../../../core/orders/order-event.js';
import { snakePath } from '../../kit/case.js';
import { type FieldTable, fieldBy, inWireFields } from '../../kit/fields.js';
import type { CartLineItem, EventBody, OrderLineItem, PlacedPayload, PlansQuery } from './schemas.js';

/** Hakuna writes currency codes in lower case. */
const lower = (currency: string) => currency.toLowerCase();

/** The product page's answer: the product as sent, and each plan that covers it, titled per language. */
export function plansJson(query: PlansQuery, found: ProductPlans) {
  const { country, language } = found.catalog.market;
  return {
    product: {
      id: query.product_id,
      category: query.category,
      ...(query.title !== undefined ? { title: query.title } : {}),
      ...(query.brand !== undefined ? { brand: query.brand } : {}),
      price_amount: query.price_amount,
      price_currency: lower(query.price_currency),
    },
    plans: found.plans.map(({ plan, product, premium }) => {
      const languages = new Set([language, ...Object.keys(product.display?.[country] ?? {})]);
      const content = displayContent(product, country, language);
      const detailsUrl = content.detailsUrl ?? content.termsUrl;
      return {
        merchant_product_id: plan.merchantProductId,
        price_amount: premium.total,
        price_currency: lower(premium.currency),
        product_reference: query.product_id,
        title: Object.fromEntries(
          [...languages].map((lang) => [lang, displayContent(product, country, lang).title]),
        ),
        ...(detailsUrl ? { insurance_details_url: detailsUrl } : {}),
      };
    }),
  };
}

function cartLine(line: CartLineItem | OrderLineItem): CartLine {
  const reference = line.custom_properties?.product_reference;
  return {
    lineId: line.id,
    quantity: line.quantity,
    productId: line.product_id,
    ...(line.price_amount !== undefined ? { price: line.price_amount } : {}),
    ...(line.product_title !== undefined ? { title: line.product_title } : {}),
    ...(line.product_brand !== undefined ? { brand: line.product_brand } : {}),
    ...(reference !== undefined ? { productReference: reference } : {}),
  };
}

export const cartLines = (items: CartLineItem[]): CartLine[] => items.map(cartLine);

export function actionsJson(actions: CartAction[]) {
  return actions.map((a) =>
    a.type === 'update_line_item'
      ? { type: a.type, payload: { line_item_id: a.lineId, line_item_quantity: a.quantity } }
      : { type: a.type, payload: { line_item_id: a.lineId } },
  );
}

export function merchantOrder(payload: PlacedPayload): MerchantOrderInput {
  const { customer: c, customer_billing_address: a } = payload;
  const address = a && {
    ...(a.address_line_1 !== undefined ? { line1: a.address_line_1 } : {}),
    ...(a.address_line_2 !== undefined ? { line2: a.address_line_2 } : {}),
    ...(a.city !== undefined ? { city: a.city } : {}),
    ...(a.zip !== undefined ? { postalCode: a.zip } : {}),
    ...(a.country !== undefined ? { country: a.country.toUpperCase() } : {}),
  };
  return {
    orderId: payload.order_id,
    ...(payload.placed_at ? { placedAt: new Date(payload.placed_at) } : {}),
    currency: payload.order_currency.toUpperCase(),
    ...(payload.cart_id !== undefined ? { cartId: payload.cart_id } : {}),
    customer: {
      ...(c.first_name !== undefined ? { firstName: c.first_name } : {}),
      ...(c.last_name !== undefined ? { lastName: c.last_name } : {}),
      ...(c.email !== undefined ? { email: c.email } : {}),
      ...(address ? { address } : {}),
    },
    lines: payload.line_items.map((l) => ({ ...cartLine(l), price: l.price_amount })),
  };
}

/** The ERP's fulfilment, refund and cancellation events as the core's order events. */
export function orderEvent(body: Exclude<EventBody, { type: 'order_placed' }>): OrderEventInput {
  switch (body.type) {
    case 'order_fulfillment_added':
      return {
        type: 'fulfilled',
        orderId: body.payload.order_id,
        lines: body.payload.fulfillment_line_items.map((l) => ({
          lineId: l.line_item_id,
          quantity: l.quantity,
          ...(l.fulfilled_at ? { at: new Date(l.fulfilled_at) } : {}),
        })),
      };
    case 'order_refund_added':
      // The refund is computed at receipt (the core's clock): `refunded_at` is kept with the event.
      return {
        type: 'refunded',
        orderId: body.payload.order_id,
        lines: body.payload.refund_line_items.map((l) => ({
          lineId: l.line_item_id,
          quantity: l.quantity,
          ...(l.refunded_at ? { at: new Date(l.refunded_at) } : {}),
        })),
      };
    case 'order_cancelled':
      return {
        type: 'cancelled',
        orderId: body.payload.order_id,
        ...(body.payload.cancelled_at ? { occurredAt: new Date(body.payload.cancelled_at) } : {}),
      };
  }
}

/** Where each event type's lines sit in its payload. */
const LINES_OF: Record<EventBody['type'], string> = {
  order_placed: 'payload/line_items',
  order_fulfillment_added: 'payload/fulfillment_line_items',
  order_refund_added: 'payload/refund_line_items',
  order_cancelled: 'payload/line_items',
};

/** The core's domain paths of an order event, as the event's payload names them. */
function eventFields(type: EventBody['type']): FieldTable {
  const lines = LINES_OF[type];
  return [
    [/^orderId$/, 'payload/order_id'],
    [/^cartId$/, 'payload/cart_id'],
    [/^(country|currency)$/, 'payload/order_currency'],
    [/^occurredAt$/, type === 'order_placed' ? 'payload/placed_at' : 'payload/cancelled_at'],
    [/^customer\/(.*)$/, (rest) => `payload/customer/${snakePath(rest!)}`],
    [/^lines\/(\d+)\/lineId$/, type === 'order_placed' ? `${lines}/$1/id` : `${lines}/$1/line_item_id`],
    [/^lines\/(\d+)\/(expectedPremium|item\/price)(\/.*)?$/, `${lines}/$1/price_amount`],
    [/^lines\/(\d+)\/(item|protection)(\/.*)?$/, `${lines}/$1/product_id`],
    [/^lines\/(\d+)\/productReference$/, `${lines}/$1/custom_properties/product_reference`],
    [/^lines\/(\d+)$/, `${lines}/$1`],
    [/^lines\/(\d+)\/(.*)$/, (i, rest) => `${lines}/${i}/${snakePath(rest!)}`],
  ];
}

/** Runs an event's core work, its refusals naming the fields of the event's payload. */
export async function inEventFields<T>(type: EventBody['type'], work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!isCoreError(error)) throw error;
    const named = inWireFields(
      error,
      fieldBy(eventFields(type), (p) => `payload/${snakePath(p)}`),
    );
    throw new CoreError(named.code, named.message, named.fields);
  }
}
