import type { Claim, ClaimAttachment, ClaimHistoryEntry } from '../../core/claims/claim.js';
import { historyEventJson } from './wire.js';

/** The native API's claim JSON (webhooks send the same): snake_case, money in minor units. */
export function attachmentJson(a: ClaimAttachment) {
  return {
    id: a.id,
    object: 'claim_attachment' as const,
    claim_id: a.claimId,
    filename: a.filename,
    content_type: a.contentType,
    size: a.size,
    created_at: a.createdAt.toISOString(),
  };
}

export function claimJson(c: Claim) {
  return {
    id: c.id,
    object: 'claim' as const,
    mode: c.mode,
    policy_id: c.policyId,
    status: c.status,
    type: c.type,
    incident_date: c.incidentDate,
    description: c.description,
    claimed_amount: c.claimedAmount,
    approved_amount: c.approvedAmount,
    paid_amount: c.paidAmount,
    denial_reason: c.denialReason,
    attachments: c.attachments.map(attachmentJson),
    created_at: c.createdAt.toISOString(),
    updated_at: c.updatedAt.toISOString(),
  };
}

/** A claim's history row, shaped like a policy's. */
export const claimEventJson = (e: ClaimHistoryEntry) => historyEventJson(e);
