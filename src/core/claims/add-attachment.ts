import { CoreError } from '../errors.js';
import type { Tenant } from '../partners/partner.js';
import type { CoreDeps } from '../ports.js';
import { checkAttachment } from './attachment-rules.js';
import type { Claim, ClaimAttachment } from './claim.js';
import { claimEvent, recordClaimChange, requireClaim } from './record.js';
import { acceptsAttachments } from './state-machine.js';

export interface AttachmentInput {
  claimId: string;
  filename: string;
  contentType: string;
  content: Uint8Array;
}

/** Adds a file of evidence to an open claim; the claim's lock keeps the count of files exact. */
export async function addAttachment(
  deps: CoreDeps,
  tenant: Tenant,
  input: AttachmentInput,
): Promise<{ claim: Claim; attachment: ClaimAttachment }> {
  const claim = await requireClaim(deps, tenant, input.claimId, { forUpdate: true });
  if (!acceptsAttachments(claim.status)) {
    throw new CoreError('invalid_transition', `a ${claim.status} claim takes no more files`, [
      { field: 'status', message: `${claim.status} does not allow attachments` },
    ]);
  }
  const file = checkAttachment(
    { filename: input.filename, contentType: input.contentType, size: input.content.byteLength },
    claim.attachments.length,
  );
  const now = deps.clock.now();
  const attachment: ClaimAttachment = {
    id: deps.ids.next('claimAttachment'),
    claimId: claim.id,
    ...file,
    createdAt: now,
  };
  await deps.repos.claims.addAttachment(tenant, attachment, input.content);
  const next: Claim = { ...claim, attachments: [...claim.attachments, attachment], updatedAt: now };
  await recordClaimChange(
    deps,
    next,
    claimEvent(deps, next, 'attachment_added', claim.status, {
      attachmentId: attachment.id,
      filename: attachment.filename,
      size: attachment.size,
    }),
  );
  return { claim: next, attachment };
}
