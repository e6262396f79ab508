import { invalid } from '../errors.js';
import { applyOrderEvent, type OrderEventResult } from '../orders/apply-order-event.js';
import type { OrderLine } from '../orders/order-event.js';
import type { Tenant } from '../partners/partner.js';
import type { Policyholder } from '../policies/policy.js';
import type { CoreDeps } from '../ports.js';
import type { Cart, CartLine } from './cart.js';
import { type MerchantCatalog, merchantCatalog } from './merchant-catalog.js';

/** An order as a shop's ERP reports it: its own product ids, plans among them by their merchant ids. */
export interface MerchantOrderInput {
  orderId: string;
  placedAt?: Date;
  currency: string;
  /** The cart the order came from, when the ERP says so; else the cart checked out as this order. */
  cartId?: string;
  customer: Policyholder;
  /** `price` is what one unit cost: for a plan line, the price the shop charged for one plan. */
  lines: (CartLine & { price: number })[];
}

/**
 * Places a shop's order: its product lines become insured items (with what the product page said of
 * them), its plan lines protections of the product line they name (`productReference`, else the
 * connection of the checked-out cart), each bound at the price the plan line charged or refused.
 */
export async function placeMerchantOrder(
  deps: CoreDeps,
  tenant: Tenant,
  input: MerchantOrderInput,
): Promise<OrderEventResult> {
  const catalog = await merchantCatalog(deps, tenant, {
    currency: input.currency,
    currencyField: 'currency',
    productIds: input.lines.map((l) => l.productId),
  });
  const cart = await checkedOutCart(deps, tenant, input);
  const protects = protectedLines(input.lines, catalog, cart);
  const lines = input.lines.map((line, i): OrderLine => {
    const sold = catalog.plans.get(line.productId);
    if (!sold) {
      const facts = catalog.facts.get(line.productId);
      return {
        lineId: line.lineId,
        quantity: line.quantity,
        item: {
          category: facts?.category ?? '',
          sku: line.productId,
          ...((line.title ?? facts?.title) ? { name: line.title ?? facts?.title } : {}),
          ...((line.brand ?? facts?.brand) ? { brand: line.brand ?? facts?.brand } : {}),
          price: { amount: line.price, currency: catalog.market.currency },
        },
      };
    }
    return {
      lineId: line.lineId,
      quantity: line.quantity,
      protection: {
        protectsLineId: protects[i]!,
        productCode: sold.plan.productCode,
        termMonths: sold.plan.termMonths,
        expectedPremium: { amount: line.price, currency: catalog.market.currency },
      },
    };
  });
  return applyOrderEvent(deps, tenant, {
    type: 'order_placed',
    orderId: input.orderId,
    ...(input.placedAt ? { occurredAt: input.placedAt } : {}),
    country: catalog.market.country,
    customer: input.customer,
    lines,
    ...(cart ? { refs: { basketId: cart.cartId } } : {}),
  });
}

async function checkedOutCart(
  deps: CoreDeps,
  tenant: Tenant,
  input: MerchantOrderInput,
): Promise<Cart | undefined> {
  if (input.cartId === undefined) return deps.repos.carts.byOrder(tenant, input.orderId);
  return deps.repos.carts.get(tenant, input.cartId);
}

/**
 * The product line each plan line protects, by index: the first line selling the product its
 * `productReference` names that no earlier plan line took, else the checked-out cart's connection.
 */
function protectedLines(
  lines: MerchantOrderInput['lines'],
  catalog: MerchantCatalog,
  cart: Cart | undefined,
): (string | undefined)[] {
  const products = lines.filter((l) => !catalog.plans.has(l.productId));
  const taken = new Set<string>();
  return lines.map((line, i) => {
    if (!catalog.plans.has(line.productId)) return undefined;
    if (line.productReference !== undefined) {
      const named = products.filter((p) => p.productId === line.productReference);
      const target = named.find((p) => !taken.has(p.lineId)) ?? named[0];
      if (!target) {
        throw invalid(`lines/${i}/productReference`, `no line of this order sells ${line.productReference}`);
      }
      taken.add(target.lineId);
      return target.lineId;
    }
    const connected = cart?.connections.find((c) => c.planLineId === line.lineId)?.productLineId;
    if (connected === undefined || !products.some((p) => p.lineId === connected)) {
      throw invalid(
        `lines/${i}/productReference`,
        cart
          ? `cart ${cart.cartId} connects this plan line to no product line of the order; name the product`
          : 'name the protected product: no cart was checked out as this order',
      );
    }
    taken.add(connected);
    return connected;
  });
}
