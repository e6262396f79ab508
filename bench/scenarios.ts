import { randomUUID } from 'node:crypto';
import { DEMO_CREDENTIALS } from '../src/demo/catalog.js';
import { signXcover } from '../test/helpers/xcover-signer.js';
import type { Request } from './load.js';

/** The requests the bench times, as the demo partner's clients send them. */

const bearer = { authorization: `Bearer ${DEMO_CREDENTIALS.api_key}` };
const json = { 'content-type': 'application/json' };
const basic = `Basic ${Buffer.from(`${DEMO_CREDENTIALS.oauth.client_id}:${DEMO_CREDENTIALS.oauth.client_secret}`).toString('base64')}`;

/** A 10-line cart at a POS register: phones, laptops, and things no product covers. */
export const sitooCart: Request = {
  method: 'POST',
  path: '/sitoo/cart-insurances',
  headers: {
    ...json,
    authorization: basic,
    'store-id': 'store-1',
    'staff-id': 'staff-1',
    'register-id': 'register-1',
    'request-id': 'bench',
  },
  body: JSON.stringify({
    id: '123e4567-e89b-12d3-a456-426614174000',
    currency_code: 'USD',
    items: Array.from({ length: 10 }, (_, i) => ({
      id: String(i + 1),
      sku: `sku-${i}`,
      name: i % 3 === 2 ? 'USB-C cable' : `Laptop ${i}`,
      product_group: i % 3 === 2 ? 'Accessories' : 'Laptops',
      quantity: 1 + (i % 2),
      total: i % 3 === 2 ? '19.00' : `${(1299 * (1 + (i % 2))).toFixed(2)}`,
    })),
  }),
};

/** The README walk-through's offer: one 8 500 SEK tablet. */
export const nativeOffer: Request = {
  method: 'POST',
  path: '/v1/offers',
  headers: { ...bearer, ...json },
  body: JSON.stringify({
    country: 'SE',
    items: [
      {
        ref: 'line-1',
        quantity: 1,
        category: 'Tablet',
        brand: 'Apple',
        model: 'iPad Air 4 128Gb',
        price: { amount: 850_000, currency: 'SEK' },
      },
    ],
  }),
};

export interface OfferRef {
  offerId: string;
  optionId: string;
}

/** Binds the next offer of `offers` (one bind each), with an idempotency key of its own. */
export function nativeBind(offers: OfferRef[]): Request {
  let next = 0;
  const body = (o: OfferRef, key: string) =>
    JSON.stringify({
      offer_id: o.offerId,
      option_id: o.optionId,
      policyholder: {
        first_name: 'Glen',
        last_name: 'Clarkson',
        email: 'glen.clarkson@example.com',
        personal_id: '19840726-1234',
      },
      refs: { order_id: key, line_id: 'line-1' },
    });
  return {
    method: 'POST',
    path: '/v1/policies',
    headers: { ...bearer, ...json },
    setup: () => {
      const offer = offers[next++ % offers.length]!;
      const key = `bench-${randomUUID()}`;
      return { headers: { 'idempotency-key': key }, body: body(offer, key) };
    },
  };
}

/** The option of the README's product in an offer answer. */
export function refurbishedOption(answer: unknown): OfferRef {
  const a = answer as { id: string; items: { options: { id: string; product_code: string }[] }[] };
  const option = a.items[0]!.options.find((o) => o.product_code === 'refurbished-electronics');
  if (!option) throw new Error('the offer has no refurbished-electronics option');
  return { offerId: a.id, optionId: option.id };
}

const XCOVER = `/xcover/partners/electroshop/`;

/** A request of the XCover client: signed over its date, so signed afresh for every request. */
function xcover(method: 'GET' | 'POST', path: string, body: unknown): Request {
  const full = XCOVER + path;
  const sign = () =>
    signXcover({
      method,
      path: full.split('?')[0]!,
      secret: DEMO_CREDENTIALS.hmac.secret,
      keyId: DEMO_CREDENTIALS.hmac.key_id,
      algorithm: 'hmac-sha512',
      headers: '(request-target) date',
    });
  return {
    method,
    path: full,
    headers: json,
    ...(method === 'POST' ? { body: JSON.stringify(body) } : {}),
    setup: () => ({ headers: sign() }),
  };
}

export function xcoverInstantBooking(): Request {
  const start = new Date(Date.now() + 86_400_000).toISOString();
  return xcover('POST', 'instant_booking/', {
    request: [
      {
        policy_type: 'product-protection',
        policy_start_date: start,
        products: [{ name: 'Acme X1', price: 1200, category: 'laptop' }],
      },
    ],
    currency: 'GBP',
    customer_country: 'GB',
    customer_language: 'en',
    policyholder: { first_name: 'Ada', last_name: 'Lovelace', email: 'ada@example.com' },
  });
}

export const xcoverBookings = (): Request => xcover('GET', 'bookings/?limit=100', undefined);

export const policiesByOrder = (orderId: string): Request => ({
  method: 'GET',
  path: `/v1/policies?order_id=${encodeURIComponent(orderId)}`,
  headers: bearer,
});

export const policiesByHolder = (email: string): Request => ({
  method: 'GET',
  path: `/v1/policies?holder_email=${encodeURIComponent(email)}`,
  headers: bearer,
});
