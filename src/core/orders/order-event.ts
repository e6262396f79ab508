import type { Money } from '../money.js';
import type { Mode } from '../partners/partner.js';
import type { InsuredItem, Policyholder } from '../policies/policy.js';

/** A line of a placed order: a product, or a protection plan that protects another line. */
export interface OrderLine {
  lineId: string;
  quantity: number;
  item?: InsuredItem;
  protection?: {
    /** The line whose product this plan protects. */
    protectsLineId: string;
    /** From an offer shown earlier… */
    offerId?: string;
    optionId?: string;
    /** …or priced now from the catalog. */
    productCode?: string;
    termMonths?: number;
    /** What the merchant charged for one unit of the plan: binding at another price is refused. */
    expectedPremium?: Money;
  };
}

export interface LineQuantity {
  lineId: string;
  quantity: number;
  at?: Date;
}

export type OrderEventInput =
  | {
      type: 'order_placed';
      orderId: string;
      occurredAt?: Date;
      country: string;
      customer: Policyholder;
      lines: OrderLine[];
      refs?: Record<string, string>;
    }
  | { type: 'fulfilled'; orderId: string; occurredAt?: Date; lines: LineQuantity[] }
  | { type: 'refunded'; orderId: string; occurredAt?: Date; lines: LineQuantity[] }
  | { type: 'cancelled'; orderId: string; occurredAt?: Date };

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
