import type { Money } from '../money.js';
import type { Tenant } from '../partners/partner.js';
import type { CoreDeps } from '../ports.js';
import type { Claim } from './claim.js';
import { moveClaim, requireClaim } from './record.js';
import { nextClaimStatus } from './state-machine.js';
import { checkReason, checkSettlement } from './validity.js';

/*
 * A claims handler's decisions. Each locks the claim, checks the move is allowed before looking at the
 * amounts (a closed claim is a conflict whatever the body says), and records one event.
 */

/** The handler's note in an event's data, when there is one. */
export const noted = (note: string | undefined) => (note ? { note } : {});

export async function reviewClaim(deps: CoreDeps, tenant: Tenant, id: string, note?: string): Promise<Claim> {
  const claim = await requireClaim(deps, tenant, id, { forUpdate: true });
  return moveClaim(deps, claim, 'review', 'review_started', {}, noted(note));
}

export async function approveClaim(
  deps: CoreDeps,
  tenant: Tenant,
  id: string,
  input: { approvedAmount: Money; note?: string },
): Promise<Claim> {
  const claim = await requireClaim(deps, tenant, id, { forUpdate: true });
  nextClaimStatus('approve', claim.status);
  checkSettlement('approvedAmount', input.approvedAmount, claim.claimedAmount);
  const approvedAmount = { amount: input.approvedAmount.amount, currency: input.approvedAmount.currency };
  return moveClaim(
    deps,
    claim,
    'approve',
    'approved',
    { approvedAmount },
    {
      approvedAmount: approvedAmount,
      ...noted(input.note),
    },
  );
}

export async function denyClaim(deps: CoreDeps, tenant: Tenant, id: string, reason: string): Promise<Claim> {
  const claim = await requireClaim(deps, tenant, id, { forUpdate: true });
  nextClaimStatus('deny', claim.status);
  const denialReason = checkReason(reason);
  return moveClaim(deps, claim, 'deny', 'denied', { denialReason }, { reason: denialReason });
}

export async function closeClaim(deps: CoreDeps, tenant: Tenant, id: string, note?: string): Promise<Claim> {
  const claim = await requireClaim(deps, tenant, id, { forUpdate: true });
  return moveClaim(deps, claim, 'close', 'closed', {}, noted(note));
}
