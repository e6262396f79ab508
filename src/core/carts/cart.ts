import type { Mode } from '../partners/partner.js';

/** A line of a shop's cart: a product, or a plan the shop sells as an item of its own catalog. */
export interface CartLine {
  lineId: string;
  quantity: number;
  /** The shop's catalog id of what the line sells: a product, or a plan's merchant product id. */
  productId: string;
  /** Price of one unit in minor units of the cart's currency, when the shop sends it. */
  price?: number;
  title?: string;
  brand?: string;
  /** On a plan line: the shop's product id of the product it protects. */
  productReference?: string;
}

/** A plan line and the product line it protects. */
export interface PlanConnection {
  productLineId: string;
  planLineId: string;
}

/** A shop's cart as last posted, with the connections that state has, and the order it became. */
export interface Cart {
  partnerId: string;
  mode: Mode;
  cartId: string;
  sessionId: string;
  currency: string;
  lines: CartLine[];
  connections: PlanConnection[];
  orderId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** Why reconciling removes a plan line. */
type RemovalReason =
  /** It names no product, or its product is no line of the cart. */
  | 'product_not_in_cart'
  /** Its plan does not cover the product (category, price, market). */
  | 'not_covered'
  /** Every unit of its product is protected by an earlier plan line already. */
  | 'already_protected';

/** What the shop must do to its cart; only plan lines are ever touched. */
export type CartAction =
  | { type: 'update_line_item'; lineId: string; quantity: number }
  | { type: 'remove_line_item'; lineId: string; reason: RemovalReason };
