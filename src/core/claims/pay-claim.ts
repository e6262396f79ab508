import type { Money } from '../money.js';
import type { Tenant } from '../partners/partner.js';
import { requirePolicy } from '../policies/lookups.js';
import type { Policy } from '../policies/policy.js';
import { policyEvent, recordChange } from '../policies/transition.js';
import type { CoreDeps } from '../ports.js';
import type { Claim } from './claim.js';
import { noted } from './decide-claim.js';
import { moveClaim, requireClaim } from './record.js';
import { nextClaimStatus } from './state-machine.js';
import { checkSettlement } from './validity.js';

/**
 * Records the payment of an approved claim, and marks its policy as having had a claim paid: from then
 * on a cancellation refunds nothing unless the product says pro rata (see policies/refund.ts). Both
 * changes, their events and their webhooks are written in the caller's one transaction.
 */
export async function payClaim(
  deps: CoreDeps,
  tenant: Tenant,
  id: string,
  input: { paidAmount: Money; note?: string },
): Promise<Claim> {
  const claim = await requireClaim(deps, tenant, id, { forUpdate: true });
  nextClaimStatus('pay', claim.status);
  // An approved claim always has its approved amount: approval sets it.
  checkSettlement('paidAmount', input.paidAmount, claim.approvedAmount ?? claim.claimedAmount);
  const policy = await requirePolicy(deps, tenant, claim.policyId, true);
  const paidAmount = { amount: input.paidAmount.amount, currency: input.paidAmount.currency };
  const paid = await moveClaim(
    deps,
    claim,
    'pay',
    'paid',
    { paidAmount },
    {
      paidAmount: paidAmount,
      ...noted(input.note),
    },
  );
  await markClaimPaid(deps, policy, paid);
  return paid;
}

/** The policy keeps its status; the event says which claim was paid and how much. */
async function markClaimPaid(deps: CoreDeps, policy: Policy, claim: Claim): Promise<void> {
  const next: Policy = { ...policy, claimPaid: true, updatedAt: deps.clock.now() };
  const event = policyEvent(deps, next, 'claim_paid', policy.status, {
    claimId: claim.id,
    paidAmount: claim.paidAmount,
  });
  await recordChange(deps, next, event);
}
