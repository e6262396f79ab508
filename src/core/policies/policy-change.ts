import type { Mode } from '../partners/partner.js';
import type { Premium } from '../pricing/premium.js';
import { isQuoteValid } from '../quote-validity.js';
import type { InsuredItem } from './policy.js';

type PolicyChangeKind = 'update' | 'renewal';
/** Stored as `pending` or `confirmed`; a pending change past `expiresAt` reads as `expired` (see changeStatus). */
export type PolicyChangeStatus = 'pending' | 'confirmed' | 'expired';

/**
 * A change of a policy priced now and confirmed later (XCover `quote_for_update` → `confirm_update`,
 * `quote_for_renewal` → `confirm`).
 *
 * - `update`: `item` is the policy's item after the change and `premium` the policy's whole premium
 *   after it; `coverageStart`/`coverageEnd` are the policy's own (unchanged).
 * - `renewal`: `item` is carried over, `premium` is the next term's premium, and
 *   `coverageStart`/`coverageEnd` are the next term (starting at the old coverage end).
 *
 * In both, `priceDiff` = `premium.total` − `previousPremium.total` (the policy's premium when the change
 * was priced): what an update costs more (or gives back, negative); for a renewal, how the next term
 * compares with this one.
 */
export interface PolicyChange {
  id: string;
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
  /** For a confirmed renewal, the new policy; for a confirmed update, the policy itself. */
  resultPolicyId: string | null;
}

/** Where a change stands at `now`: a pending one past its time has expired. */
export function changeStatus(change: PolicyChange, now: Date): PolicyChangeStatus {
  if (change.status === 'pending' && !isQuoteValid(change.expiresAt, now)) return 'expired';
  return change.status;
}
