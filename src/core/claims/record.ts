import { notFound } from '../errors.js';
import { publish } from '../notifications/publish.js';
import type { Tenant } from '../partners/partner.js';
import type { CoreDeps } from '../ports.js';
import type { Claim, ClaimEventType, ClaimHistoryEntry, ClaimStatus } from './claim.js';
import { type ClaimAction, nextClaimStatus } from './state-machine.js';

export async function requireClaim(
  deps: CoreDeps,
  tenant: Tenant,
  id: string,
  opts: { forUpdate?: boolean } = {},
): Promise<Claim> {
  const claim = await deps.repos.claims.get(tenant, id, opts);
  if (!claim) throw notFound('claim', 'claimId');
  return claim;
}

export function claimEvent(
  deps: CoreDeps,
  claim: Claim,
  type: ClaimEventType,
  fromStatus: ClaimStatus | null,
  data: Record<string, unknown> = {},
): ClaimHistoryEntry {
  return {
    id: deps.ids.next('claimEvent'),
    claimId: claim.id,
    type,
    fromStatus,
    toStatus: claim.status,
    occurredAt: deps.clock.now(),
    data,
  };
}

/**
 * Writes a claim's new state with the event that explains it and tells the partner, all in the
 * caller's transaction: `claim.created` for a new claim, `claim.updated` for every later change.
 */
export async function recordClaimChange(
  deps: CoreDeps,
  claim: Claim,
  event: ClaimHistoryEntry,
  opts = { insert: false },
) {
  if (opts.insert) await deps.repos.claims.insert(claim, event);
  else await deps.repos.claims.update(claim, event);
  const tenant = { partnerId: claim.partnerId, mode: claim.mode };
  const type = event.fromStatus === null ? 'claim.created' : 'claim.updated';
  await publish(deps, tenant, type, claim.id, { claim, claimEvent: event.type });
}

/** Moves a claim along the state machine and records why. */
export async function moveClaim(
  deps: CoreDeps,
  claim: Claim,
  action: ClaimAction,
  type: ClaimEventType,
  change: Partial<Claim> = {},
  data: Record<string, unknown> = {},
): Promise<Claim> {
  const status = nextClaimStatus(action, claim.status);
  const next: Claim = { ...claim, ...change, status, updatedAt: deps.clock.now() };
  await recordClaimChange(deps, next, claimEvent(deps, next, type, claim.status, data));
  return next;
}
