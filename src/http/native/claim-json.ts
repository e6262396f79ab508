import { Type } from 'typebox';
import {
  CLAIM_STATUSES,
  CLAIM_TYPES,
  type Claim,
  type ClaimAttachment,
  type ClaimHistoryEntry,
} from '../../core/claims/claim.js';
import { Nullable } from './schemas.js';
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

// Responses: documented in OpenAPI, and the serializer sends exactly these fields.
const MoneyOut = Type.Object({ amount: Type.Integer(), currency: Type.String() });

export const AttachmentSchema = Type.Object({
  id: Type.String(),
  object: Type.Literal('claim_attachment'),
  claim_id: Type.String(),
  filename: Type.String(),
  content_type: Type.String(),
  size: Type.Integer({ description: 'bytes' }),
  created_at: Type.String(),
});

export const ClaimSchema = Type.Object({
  id: Type.String(),
  object: Type.Literal('claim'),
  mode: Type.String(),
  policy_id: Type.String(),
  status: Type.String({ enum: [...CLAIM_STATUSES] }),
  type: Type.String({ enum: [...CLAIM_TYPES] }),
  incident_date: Type.String({ format: 'date' }),
  description: Type.String(),
  claimed_amount: MoneyOut,
  approved_amount: Nullable(MoneyOut),
  paid_amount: Nullable(MoneyOut),
  denial_reason: Nullable(Type.String()),
  attachments: Type.Array(AttachmentSchema),
  created_at: Type.String(),
  updated_at: Type.String(),
});

export const ClaimListSchema = Type.Object({
  object: Type.Literal('list'),
  data: Type.Array(ClaimSchema),
  next_cursor: Nullable(Type.String()),
});
