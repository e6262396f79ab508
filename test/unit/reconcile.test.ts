import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CartAction, CartLine } from '../../src/core/carts/cart.js';
import { type CartCatalog, reconcile } from '../../src/core/carts/reconcile.js';

/** Two plans: `pl-any` covers every phone, `pl-cheap` phones up to 500.00; cases are covered by neither. */
const catalog: CartCatalog = {
  isPlan: (id) => id.startsWith('pl-'),
  covers: (plan, line) =>
    line.productId.startsWith('phone') && (plan === 'pl-any' || (line.price ?? 0) <= 50_000),
};

const phone = (lineId: string, quantity = 1, price = 112_900): CartLine => ({
  lineId,
  quantity,
  productId: 'phone-14',
  price,
});
const plan = (lineId: string, quantity = 1, productReference?: string, productId = 'pl-any'): CartLine => ({
  lineId,
  quantity,
  productId,
  ...(productReference ? { productReference } : {}),
});

describe('reconcile: the actions that bring a cart back to a valid state', () => {
  it("a plan follows its product: the guide's quantity change is one update_line_item", () => {
    const result = reconcile({ lines: [phone('3311', 2), plan('3322', 1, 'phone-14')] }, catalog);
    expect(result.actions).toEqual([{ type: 'update_line_item', lineId: '3322', quantity: 2 }]);
    expect(result.connections).toEqual([{ productLineId: '3311', planLineId: '3322' }]);
  });

  it("a valid cart (the guide's plan and case) needs nothing", () => {
    const lines = [
      phone('3311'),
      plan('3322', 1, 'phone-14'),
      { lineId: '4411', quantity: 1, productId: 'case' },
    ];
    expect(reconcile({ lines }, catalog)).toEqual({
      actions: [],
      connections: [{ productLineId: '3311', planLineId: '3322' }],
    });
  });

  it('a plan whose product left the cart, or that names none, is removed', () => {
    const result = reconcile({ lines: [plan('p1', 1, 'phone-14'), plan('p2', 1)] }, catalog);
    expect(result.actions).toEqual([
      { type: 'remove_line_item', lineId: 'p1', reason: 'product_not_in_cart' },
      { type: 'remove_line_item', lineId: 'p2', reason: 'product_not_in_cart' },
    ]);
  });

  it('a plan for a product it does not cover (price or category) is removed', () => {
    const lines = [
      phone('a', 1, 90_000),
      plan('p1', 1, 'phone-14', 'pl-cheap'),
      { lineId: 'c', quantity: 1, productId: 'case' },
      plan('p2', 1, 'case'),
    ];
    expect(reconcile({ lines }, catalog).actions).toEqual([
      { type: 'remove_line_item', lineId: 'p1', reason: 'not_covered' },
      { type: 'remove_line_item', lineId: 'p2', reason: 'not_covered' },
    ]);
  });

  it('two plans on one product line are one too many: the later one goes', () => {
    const result = reconcile(
      { lines: [phone('a', 2), plan('p1', 2, 'phone-14'), plan('p2', 1, 'phone-14')] },
      catalog,
    );
    expect(result.actions).toEqual([{ type: 'remove_line_item', lineId: 'p2', reason: 'already_protected' }]);
  });

  it('two lines of one product each take one plan line, the first its plan covers', () => {
    const lines = [
      phone('a', 1, 90_000),
      phone('b', 3, 40_000),
      plan('p1', 1, 'phone-14', 'pl-cheap'),
      plan('p2', 1, 'phone-14'),
    ];
    expect(reconcile({ lines }, catalog)).toEqual({
      actions: [{ type: 'update_line_item', lineId: 'p1', quantity: 3 }],
      connections: [
        { productLineId: 'b', planLineId: 'p1' },
        { productLineId: 'a', planLineId: 'p2' },
      ],
    });
  });
});

/** The shop's side: performs the actions on its cart. */
function apply(lines: CartLine[], actions: CartAction[]): CartLine[] {
  return lines.flatMap((line) => {
    const action = actions.find((a) => a.lineId === line.lineId);
    if (!action) return [line];
    return action.type === 'remove_line_item' ? [] : [{ ...line, quantity: action.quantity }];
  });
}

const PRODUCTS = ['phone-14', 'phone-se', 'case', 'cable'];
const PLANS = ['pl-any', 'pl-cheap'];

const arbitraryLine = (i: number) =>
  fc
    .oneof(
      fc.record({
        productId: fc.constantFrom(...PRODUCTS),
        quantity: fc.integer({ min: 1, max: 5 }),
        price: fc.integer({ min: 1_000, max: 200_000 }),
      }),
      fc.record(
        {
          productId: fc.constantFrom(...PLANS),
          quantity: fc.integer({ min: 1, max: 5 }),
          productReference: fc.constantFrom(...PRODUCTS, 'gone'),
        },
        { requiredKeys: ['productId', 'quantity'] },
      ),
    )
    .map((l): CartLine => ({ ...l, lineId: `line-${i}` }));

const arbitraryCart = fc
  .integer({ min: 0, max: 12 })
  .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => arbitraryLine(i))))
  .chain((lines) => fc.shuffledSubarray(lines, { minLength: 0, maxLength: lines.length }));

describe('reconcile, property: a shop that applies the actions and posts again', () => {
  it('reaches a cart that needs no action within three rounds, and that cart is valid', () => {
    fc.assert(
      fc.property(arbitraryCart, (start) => {
        let lines = start;
        let rounds = 0;
        for (
          let result = reconcile({ lines }, catalog);
          result.actions.length > 0;
          result = reconcile({ lines }, catalog)
        ) {
          rounds += 1;
          if (rounds > 3) return false;
          lines = apply(lines, result.actions);
        }
        const { connections } = reconcile({ lines }, catalog);
        const byId = new Map(lines.map((l) => [l.lineId, l]));
        const plans = lines.filter((l) => catalog.isPlan(l.productId));
        // Every plan line left protects one product line its plan covers, in that line's quantity, alone.
        expect(connections.map((c) => c.planLineId).sort()).toEqual(plans.map((p) => p.lineId).sort());
        expect(new Set(connections.map((c) => c.productLineId)).size).toBe(connections.length);
        for (const c of connections) {
          const product = byId.get(c.productLineId)!;
          const planLine = byId.get(c.planLineId)!;
          expect(planLine.quantity).toBe(product.quantity);
          expect(catalog.covers(planLine.productId, product)).toBe(true);
          expect(planLine.productReference).toBe(product.productId);
        }
        // Product lines are never touched.
        expect(lines.filter((l) => !catalog.isPlan(l.productId))).toEqual(
          start.filter((l) => !catalog.isPlan(l.productId)),
        );
        return true;
      }),
      { numRuns: 500 },
    );
  });

  it('random carts with removals between posts still settle within three rounds', () => {
    fc.assert(
      fc.property(arbitraryCart, fc.array(fc.nat(), { maxLength: 4 }), (start, removals) => {
        let lines = start;
        for (const r of removals) {
          const settled = settle(lines);
          if (settled === undefined) return false;
          lines = settled.filter((_, i) => settled.length === 0 || i !== r % settled.length);
        }
        return settle(lines) !== undefined;
      }),
      { numRuns: 300 },
    );
  });
});

/** Applies actions until none is left; undefined if that takes more than three rounds. */
function settle(start: CartLine[]): CartLine[] | undefined {
  let lines = start;
  for (let round = 0; round <= 3; round++) {
    const { actions } = reconcile({ lines }, catalog);
    if (actions.length === 0) return lines;
    lines = apply(lines, actions);
  }
  return undefined;
}
