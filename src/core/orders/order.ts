import type { Mode } from '../partners/partner.js';

/** A placed order and its lines, kept so events can name only what was placed. */
export interface Order {
  partnerId: string;
  mode: Mode;
  orderId: string;
  lines: { lineId: string; quantity: number; protectsLineId?: string }[];
  placedAt: Date;
  createdAt: Date;
}
