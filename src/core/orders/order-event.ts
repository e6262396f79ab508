import type { Mode } from '../partners/partner.js';
import type { InsuredItem, Policyholder } from '../policies/policy.js';

/** A line of a placed order: a product, or a protection plan that protects another line. */
export interface OrderLine {
  line_id: string;
  quantity: number;
  item?: InsuredItem;
  protection?: {
    /** The line whose product this plan protects. */
    protects_line_id: string;
    /** From an offer shown earlier… */
    offer_id?: string;
    option_id?: string;
    /** …or priced now from the catalog. */
    product_code?: string;
    term_months?: number;
  };
}

export interface LineQuantity {
  line_id: string;
  quantity: number;
  at?: Date;
}

export type OrderEventInput =
  | {
      type: 'order_placed';
      order_id: string;
      occurred_at?: Date;
      country: string;
      customer: Policyholder;
      lines: OrderLine[];
      refs?: Record<string, string>;
    }
  | { type: 'fulfilled'; order_id: string; occurred_at?: Date; lines: LineQuantity[] }
  | { type: 'refunded'; order_id: string; occurred_at?: Date; lines: LineQuantity[] }
  | { type: 'cancelled'; order_id: string; occurred_at?: Date };

type OrderEventType = OrderEventInput['type'];

/** An order event as recorded: the input, when it happened, and the policies it touched. */
export interface OrderEvent {
  id: string;
  partnerId: string;
  mode: Mode;
  orderId: string;
  type: OrderEventType;
  occurredAt: Date;
  payload: OrderEventInput;
  policyIds: string[];
  createdAt: Date;
}
