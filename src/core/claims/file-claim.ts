import type { Money } from '../money.js';
import type { Tenant } from '../partners/partner.js';
import { requirePolicy, requireProduct } from '../policies/lookups.js';
import type { CoreDeps } from '../ports.js';
import type { Claim } from './claim.js';
import { claimEvent, recordClaimChange } from './record.js';
import { checkFiling } from './validity.js';

export interface FileClaimInput {
  policyId: string;
  /** `YYYY-MM-DD`, the UTC day of the loss. */
  incidentDate: string;
  type: string;
  description: string;
  claimedAmount: Money;
}

/** Files a claim against a policy of the tenant's, once the policy is shown to answer for it. */
export async function fileClaim(deps: CoreDeps, tenant: Tenant, input: FileClaimInput): Promise<Claim> {
  // Locked so a cancellation cannot slip between the check of the policy and the claim's insert.
  const policy = await requirePolicy(deps, tenant, input.policyId, true);
  const product = await requireProduct(deps, policy);
  const now = deps.clock.now();
  const type = checkFiling(policy, product, input, now);
  const claim: Claim = {
    id: deps.ids.next('claim'),
    partnerId: tenant.partnerId,
    mode: tenant.mode,
    policyId: policy.id,
    status: 'submitted',
    type,
    incidentDate: input.incidentDate,
    description: input.description.trim(),
    claimedAmount: { amount: input.claimedAmount.amount, currency: input.claimedAmount.currency },
    approvedAmount: null,
    paidAmount: null,
    denialReason: null,
    attachments: [],
    createdAt: now,
    updatedAt: now,
  };
  await recordClaimChange(deps, claim, claimEvent(deps, claim, 'filed', null), { insert: true });
  return claim;
}
