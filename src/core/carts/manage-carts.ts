import { CoreError, invalid, notFound } from '../errors.js';
import type { Tenant } from '../partners/partner.js';
import type { CoreDeps } from '../ports.js';
import type { Cart, CartAction, CartLine } from './cart.js';
import { cartCatalog, merchantCatalog } from './merchant-catalog.js';
import { reconcile } from './reconcile.js';

export interface PostCartInput {
  cartId: string;
  sessionId: string;
  currency: string;
  lines: CartLine[];
}

/**
 * Stores the cart as the shop now has it, with the connections of its plan lines, and answers the
 * actions that bring it back to a valid state (see `reconcile`). The shop applies them and posts again.
 */
export async function postCart(
  deps: CoreDeps,
  tenant: Tenant,
  input: PostCartInput,
): Promise<{ cart: Cart; actions: CartAction[] }> {
  checkLines(input.lines);
  const catalog = await merchantCatalog(deps, tenant, {
    currency: input.currency,
    currencyField: 'currency',
    productIds: input.lines.map((l) => l.productId),
  });
  const { actions, connections } = reconcile(input, cartCatalog(catalog));
  const now = deps.clock.now();
  const before = await deps.repos.carts.get(tenant, input.cartId);
  const cart: Cart = {
    partnerId: tenant.partnerId,
    mode: tenant.mode,
    cartId: input.cartId,
    sessionId: input.sessionId,
    currency: catalog.market.currency,
    lines: input.lines,
    connections,
    orderId: before?.orderId ?? null,
    createdAt: before?.createdAt ?? now,
    updatedAt: now,
  };
  await deps.repos.carts.put(cart);
  return { cart, actions };
}

function checkLines(lines: CartLine[]): void {
  const ids = new Set<string>();
  lines.forEach((line, i) => {
    if (ids.has(line.lineId)) throw invalid(`lines/${i}/lineId`, 'used twice in this cart');
    ids.add(line.lineId);
  });
}

/** The cart as last posted, for its user session: another session's cart is not found. */
export async function requireCart(
  deps: CoreDeps,
  tenant: Tenant,
  cartId: string,
  sessionId: string,
  opts?: { forUpdate?: boolean },
): Promise<Cart> {
  const cart = await deps.repos.carts.get(tenant, cartId, opts);
  if (!cart) throw notFound(`cart ${cartId}`, 'cartId');
  if (cart.sessionId !== sessionId) {
    throw new CoreError('not_found', `cart ${cartId} not found for this user session`, [
      { field: 'sessionId', message: `cart ${cartId} belongs to another user session` },
    ]);
  }
  return cart;
}

/**
 * The shop's checkout: the cart became `orderId`. Saying so again is harmless; a cart already checked
 * out as another order is refused.
 */
export async function checkoutCart(
  deps: CoreDeps,
  tenant: Tenant,
  input: { cartId: string; sessionId: string; orderId: string },
): Promise<Cart> {
  const cart = await requireCart(deps, tenant, input.cartId, input.sessionId, { forUpdate: true });
  if (cart.orderId === input.orderId) return cart;
  if (cart.orderId !== null) {
    throw new CoreError('already_exists', `cart ${cart.cartId} was checked out as order ${cart.orderId}`, [
      { field: 'orderId', message: `the cart is already order ${cart.orderId}` },
    ]);
  }
  const other = await deps.repos.carts.byOrder(tenant, input.orderId);
  if (other) {
    throw new CoreError('already_exists', `order ${input.orderId} is cart ${other.cartId}`, [
      { field: 'orderId', message: `already the order of cart ${other.cartId}` },
    ]);
  }
  const checkedOut: Cart = { ...cart, orderId: input.orderId, updatedAt: deps.clock.now() };
  await deps.repos.carts.put(checkedOut);
  return checkedOut;
}
