import type { CoverStart } from '../catalog/product.js';
import type { Money } from '../money.js';
import type { Mode } from '../partners/partner.js';
import type { Premium } from '../pricing/premium.js';

export const POLICY_STATUSES = [
  'quoted',
  'pending_payment',
  'scheduled',
  'active',
  'expired',
  'cancelled',
  'voided',
] as const;
export type PolicyStatus = (typeof POLICY_STATUSES)[number];

interface Address {
  line1?: string;
  line2?: string;
  postalCode?: string;
  city?: string;
  country?: string;
}

/** The person covered. `personalId` (an SSN or similar) is encrypted at rest and never logged. */
export interface Policyholder {
  firstName?: string;
  lastName?: string;
  email?: string;
  phone?: string;
  personalId?: string;
  address?: Address;
  language?: string;
  comment?: string;
  /** The merchant's own id for this customer. */
  externalId?: string;
}

/** The thing protected. */
export interface InsuredItem {
  category: string;
  name?: string;
  brand?: string;
  model?: string;
  sku?: string;
  serialNumber?: string;
  price: Money;
  purchasedAt?: Date;
}

/** The merchant's references that lookups use: order, line, receipt, basket, user, object. */
export interface MerchantRefs {
  orderId?: string;
  /** The order line of the protected product. */
  lineId?: string;
  /** The order line of the protection plan itself, where the merchant sells it as a line. */
  planLineId?: string;
  receipt?: string;
  basketId?: string;
  [key: string]: string | undefined;
}

export interface Policy {
  id: string;
  partnerId: string;
  mode: Mode;
  productCode: string;
  termMonths: number;
  country: string;
  language: string;
  status: PolicyStatus;
  policyholder: Policyholder;
  item: InsuredItem;
  premium: Premium;
  coverStart: CoverStart;
  /** Null until cover has a start: a policy waiting for fulfilment has none yet. */
  coverageStart: Date | null;
  coverageEnd: Date | null;
  boundAt: Date | null;
  offerId: string | null;
  offerOptionId: string | null;
  refs: MerchantRefs;
  refund: Money | null;
  claimPaid: boolean;
  /** The partner's commission in basis points of the net premium, as it stood when the policy was bound. */
  commissionBp: number;
  /** When the renewal-due notice went out, for renewable products. */
  renewalNotifiedAt?: Date | null;
  /** The policy this one renews (its next term), for renewals. */
  renewalOf?: string | null;
  /** The policy that renews this one, once a renewal was confirmed. */
  renewedBy?: string | null;
  /** The policyholder said no to renewal: no renewal can be quoted. */
  renewalOptOut?: boolean;
  /**
   * The unit of its order line this policy protects (0 to the line's quantity − 1), when placing the
   * order bound it. Set once: the database holds one such policy per unit of a line.
   */
  orderUnit?: number | null;
  /**
   * The unit of its offer item this policy binds (0 to the item's quantity − 1), when bound from an
   * offer option. Set once: the database holds one policy per unit that is not voided.
   */
  optionUnit?: number | null;
  createdAt: Date;
  updatedAt: Date;
}

export type PolicyHistoryType =
  | 'quoted'
  | 'bound'
  | 'payment_confirmed'
  | 'cover_started'
  | 'activated'
  | 'expired'
  | 'cancelled'
  /** Cover ended because an instalment went unpaid past its grace: a cancellation with no refund. */
  | 'lapsed'
  | 'voided'
  | 'renewal_due'
  /** The item or policyholder changed (premium repriced): data carries previousPremium, premium, priceDiff, changeId. */
  | 'modified'
  /** A renewal was confirmed: the status stays, `renewedBy` names the next term's policy. */
  | 'renewed'
  /** The policyholder opted out of renewal: the status stays, `renewalOptOut` becomes true. */
  | 'renewal_opted_out'
  /** A claim against the policy was paid: the status stays, `claimPaid` becomes true. */
  | 'claim_paid';

/** The events that end cover before its term is over: a cancellation, a void, a lapse. */
export function endsEarly(type: PolicyHistoryType): boolean {
  return type === 'cancelled' || type === 'voided' || type === 'lapsed';
}

/** One immutable row per change of a policy. */
export interface PolicyHistoryEntry {
  id: string;
  policyId: string;
  type: PolicyHistoryType;
  fromStatus: PolicyStatus | null;
  toStatus: PolicyStatus;
  occurredAt: Date;
  data: Record<string, unknown>;
}
