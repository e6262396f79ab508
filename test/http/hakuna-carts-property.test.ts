import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { DEMO_KEY } from '../helpers/constants.js';
import type { Json } from '../helpers/scenario-answer.js';
import { hakunaApi } from '../helpers/scenario-hakuna.js';

/**
 * The shop's loop over HTTP, as the guide has it: post the whole cart, apply the actions answered
 * (`update_line_item`, `remove_line_item`), post again. On random mixes of products, plans, quantities
 * and removals, the cart needs no action within three rounds, and then every plan line is connected to
 * one product line its plan covers, in its quantity. (The same rules are a property of the core's
 * `reconcile` in test/unit/reconcile.test.ts; this walks them through the dialect and the database.)
 */
let t: TestApp;
let hakuna: ReturnType<typeof hakunaApi>;

/** Products the shop showed on product pages: two the plan covers, one too cheap for it, one not a phone. */
const PRODUCTS = [
  { product_id: 'prd-iphone14', category: 'smartphones', price_amount: 112_900 },
  { product_id: 'prd-iphone-se', category: 'smartphones', price_amount: 52_900 },
  { product_id: 'prd-old-phone', category: 'smartphones', price_amount: 1_500 },
  { product_id: 'prd-case', category: 'accessories', price_amount: 2_900 },
];
const PLAN = 'pl-prd-hakuna';

beforeAll(async () => {
  t = await buildTestApp();
  hakuna = hakunaApi(t, DEMO_KEY);
  for (const product of PRODUCTS) {
    (await hakuna.plans({ ...product, price_currency: 'eur', user_session_id: 'prop' })).expect(200);
  }
});
afterAll(() => t.close());

interface Line {
  id: string;
  product_id: string;
  quantity: number;
  price_amount: number;
  custom_properties?: { product_reference: string };
}

const arbitraryLine = fc.oneof(
  fc.record({
    product: fc.constantFrom(...PRODUCTS),
    quantity: fc.integer({ min: 1, max: 4 }),
  }),
  fc.record({
    reference: fc.option(fc.constantFrom(...PRODUCTS.map((p) => p.product_id), 'prd-gone'), {
      nil: undefined,
    }),
    quantity: fc.integer({ min: 1, max: 4 }),
  }),
);

const arbitraryCart = fc.array(arbitraryLine, { maxLength: 8 }).map((drawn) =>
  drawn.map((line, i): Line => {
    if ('product' in line) {
      return {
        id: `l${i}`,
        product_id: line.product.product_id,
        quantity: line.quantity,
        price_amount: line.product.price_amount,
      };
    }
    return {
      id: `l${i}`,
      product_id: PLAN,
      quantity: line.quantity,
      price_amount: 1_200,
      ...(line.reference ? { custom_properties: { product_reference: line.reference } } : {}),
    };
  }),
);

/** The shop's side: performs the answered actions on its own cart. */
function apply(lines: Line[], actions: Json[]): Line[] {
  return lines.flatMap((line) => {
    const action = actions.find((a) => a.payload.line_item_id === line.id);
    if (!action) return [line];
    return action.type === 'remove_line_item'
      ? []
      : [{ ...line, quantity: action.payload.line_item_quantity }];
  });
}

let carts = 0;

describe('Hakuna carts, property: a shop that applies the actions and posts again', () => {
  it('settles within three rounds, removals between posts included, with every plan on a product it covers', async () => {
    await fc.assert(
      fc.asyncProperty(arbitraryCart, fc.array(fc.nat(), { maxLength: 2 }), async (start, removals) => {
        carts += 1;
        const cart = { cart_id: `prop-${carts}`, user_session_id: 'prop', cart_currency: 'eur' };
        const post = async (lines: Line[]) => (await hakuna.cart({ ...cart, line_items: lines })).expect(200);
        const settle = async (from: Line[]): Promise<Line[]> => {
          let lines = from;
          for (let round = 0; ; round++) {
            const { actions } = await post(lines);
            if (actions.length === 0) return lines;
            expect(round, `still ${JSON.stringify(actions)} after three rounds`).toBeLessThan(3);
            // Actions touch plan lines only: the shop's products are the shop's.
            for (const a of actions)
              expect(lines.find((l) => l.id === a.payload.line_item_id)?.product_id).toBe(PLAN);
            lines = apply(lines, actions);
          }
        };
        let lines = await settle(start);
        for (const r of removals) {
          if (lines.length > 0) lines = lines.filter((_, i) => i !== r % lines.length);
          lines = await settle(lines);
        }

        const { plan_connections } = (await hakuna.connections(cart.cart_id, cart.user_session_id)).expect(
          200,
        );
        const byId = new Map(lines.map((l) => [l.id, l]));
        const plans = lines.filter((l) => l.product_id === PLAN);
        expect(plan_connections.map((c: Json) => c.plan_line_item_id).sort()).toEqual(
          plans.map((p) => p.id).sort(),
        );
        const protectedLines = plan_connections.map((c: Json) => c.product_line_item_id);
        expect(new Set(protectedLines).size).toBe(protectedLines.length);
        for (const c of plan_connections) {
          const product = byId.get(c.product_line_item_id)!;
          expect(['prd-iphone14', 'prd-iphone-se']).toContain(product.product_id);
          expect(byId.get(c.plan_line_item_id)!.quantity).toBe(product.quantity);
        }
      }),
      { numRuns: Number(process.env.PROTEGO_PROPERTY_RUNS ?? 25) },
    );
  });
});
