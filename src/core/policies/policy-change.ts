import type { Mode } from '../partners/partner.js';
import type { Premium } from '../pricing/premium.js';
import { isQuoteValid } from '../quote-validity.js';
import type { InsuredItem } from './policy.js';
import type { RefundQuote } from './refund.js';

type PolicyChangeKind = 'update' | 'renewal' | 'cancellation';
/** Stored as `pending` or `confirmed`; a pending change past `expiresAt` reads as `expired` (see changeStatus). */
export type PolicyChangeStatus = 'pending' | 'confirmed' | 'expired';

/** Why a policy is cancelled, and the refund its cancellation was priced at. */
export interface CancellationTerms {
  reason: string;
  /**
   * The refund shown in the preview, held until the change expires; once confirmed, the refund made.
   * Null only for a cancellation previewed before migration 009, which kept no refund: it is priced when
   * confirmed.
   */
  quote: RefundQuote | null;
}

/**
 * A change of a policy priced now and confirmed later (XCover `quote_for_update` → `confirm_update`,
 * `quote_for_renewal` → `confirm`, `cancel {preview}` → `confirm_cancellation`).
 *
 * - `update`: `item` is the policy's item after the change and `premium` the policy's whole premium
 *   after it; `coverageStart`/`coverageEnd` are the policy's own (unchanged).
 * - `renewal`: `item` is carried over, `premium` is the next term's premium, and
 *   `coverageStart`/`coverageEnd` are the next term (starting at the old coverage end).
 *
 * In both, `priceDiff` = `premium.total` − `previousPremium.total` (the policy's premium when the change
 * was priced): what an update costs more (or gives back, negative); for a renewal, how the next term
 * compares with this one.
 * - `cancellation`: `item`, `premium` and the coverage dates are the policy's own; `cancellation` holds
 *   the reason and the refund, and `priceDiff` is minus the refund.
 *
 * Changes priced together (several policies of one booking) share a `groupId` and are confirmed
 * together by it; a change priced alone is its own group (`groupId` = `id`).
 */
export interface PolicyChange {
  id: string;
  groupId: string;
  partnerId: string;
  mode: Mode;
  policyId: string;
  kind: PolicyChangeKind;
  status: PolicyChangeStatus;
  item: InsuredItem;
  premium: Premium;
  previousPremium: Premium;
  priceDiff: number;
  termMonths: number;
  coverageStart: Date | null;
  coverageEnd: Date | null;
  expiresAt: Date;
  createdAt: Date;
  confirmedAt: Date | null;
  /** For a confirmed renewal, the new policy; for a confirmed update or cancellation, the policy itself. */
  resultPolicyId: string | null;
  /** Set for a cancellation only. */
  cancellation: CancellationTerms | null;
}

/** Where a change stands at `now`: a pending one past its time has expired. */
export function changeStatus(change: PolicyChange, now: Date): PolicyChangeStatus {
  if (change.status === 'pending' && !isQuoteValid(change.expiresAt, now)) return 'expired';
  return change.status;
}
