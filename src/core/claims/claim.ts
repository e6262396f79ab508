import type { Money } from '../money.js';
import type { Mode } from '../partners/partner.js';

export const CLAIM_STATUSES = ['submitted', 'in_review', 'approved', 'denied', 'paid', 'closed'] as const;
export type ClaimStatus = (typeof CLAIM_STATUSES)[number];

export const CLAIM_TYPES = ['damage', 'theft', 'malfunction', 'loss', 'other'] as const;
export type ClaimType = (typeof CLAIM_TYPES)[number];

/** What one claim may carry in evidence: files are kept in the database, so both are bounded. */
export const ATTACHMENT_LIMITS = { maxBytes: 10 * 1024 * 1024, perClaim: 10 } as const;

/** An uploaded file's description; its bytes are read only when it is downloaded. */
export interface ClaimAttachment {
  id: string;
  claimId: string;
  filename: string;
  contentType: string;
  size: number;
  createdAt: Date;
}

/** A loss reported against a policy, in the policy's currency. */
export interface Claim {
  id: string;
  partnerId: string;
  mode: Mode;
  policyId: string;
  status: ClaimStatus;
  type: ClaimType;
  /** The UTC calendar day of the loss, `YYYY-MM-DD`: claim forms ask for a day, not an instant. */
  incidentDate: string;
  description: string;
  claimedAmount: Money;
  approvedAmount: Money | null;
  paidAmount: Money | null;
  denialReason: string | null;
  attachments: ClaimAttachment[];
  createdAt: Date;
  updatedAt: Date;
}

export type ClaimEventType =
  | 'filed'
  | 'attachment_added'
  | 'review_started'
  | 'approved'
  | 'denied'
  | 'paid'
  | 'closed';

/** One immutable row per change of a claim, its status before and after (equal when only files were added). */
export interface ClaimHistoryEntry {
  id: string;
  claimId: string;
  type: ClaimEventType;
  fromStatus: ClaimStatus | null;
  toStatus: ClaimStatus;
  occurredAt: Date;
  data: Record<string, unknown>;
}
