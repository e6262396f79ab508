import type { CartAction, CartLine, PlanConnection } from './cart.js';

/** What reconciling needs to know of the partner's catalog, asked per line. */
export interface CartCatalog {
  /** Whether the shop's product id is one of its plans (a merchant product id). */
  isPlan(productId: string): boolean;
  /** Whether the plan sold as `planProductId` covers the product of this line. */
  covers(planProductId: string, productLine: CartLine): boolean;
}

export interface Reconciled {
  actions: CartAction[];
  /** The plan lines that stay, each with the product line it protects. */
  connections: PlanConnection[];
}

/**
 * What brings a cart back to a valid state, decided from the cart alone. Plan lines are taken in cart
 * order; each protects the first line of the product it names that no earlier plan line protects and
 * that its plan covers. A plan line whose product is no line of the cart is removed, one whose plan
 * covers none of those lines is removed, and one that finds every line of its product protected is one
 * too many and removed. A plan line that stays takes its product line's quantity. Applying the actions
 * leaves the kept plan lines finding the same product lines in the same order, so the cart posted again
 * gets no action.
 */
export function reconcile(cart: { lines: readonly CartLine[] }, catalog: CartCatalog): Reconciled {
  const products = cart.lines.filter((l) => !catalog.isPlan(l.productId));
  const taken = new Set<string>();
  const actions: CartAction[] = [];
  const connections: PlanConnection[] = [];
  for (const plan of cart.lines.filter((l) => catalog.isPlan(l.productId))) {
    const named = products.filter(
      (p) => plan.productReference !== undefined && p.productId === plan.productReference,
    );
    const free = named.filter((p) => !taken.has(p.lineId));
    const target = free.find((p) => catalog.covers(plan.productId, p));
    if (!target) {
      const reason =
        named.length === 0 ? 'product_not_in_cart' : free.length === 0 ? 'already_protected' : 'not_covered';
      actions.push({ type: 'remove_line_item', lineId: plan.lineId, reason });
      continue;
    }
    taken.add(target.lineId);
    connections.push({ productLineId: target.lineId, planLineId: plan.lineId });
    if (plan.quantity !== target.quantity) {
      actions.push({ type: 'update_line_item', lineId: plan.lineId, quantity: target.quantity });
    }
  }
  return { actions, connections };
}
