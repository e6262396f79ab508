import { endsEarly, type Policy, type PolicyHistoryEntry } from '../policies/policy.js';
import type { CoreDeps } from '../ports.js';
import type { EventType } from './event.js';
import { enqueue, publish } from './publish.js';

/** Which partner-facing events a change of a policy makes. */
export function eventTypesFor(event: PolicyHistoryEntry): EventType[] {
  const types: EventType[] = [];
  if (event.fromStatus === null) types.push('policy.created');
  else if (endsEarly(event.type)) types.push('policy.cancelled');
  else if (event.type === 'expired') {
    types.push('policy.expired');
    // Set by the expiry step when the product is renewable and no renewal was confirmed.
    if (event.data.renewalExpired === true) types.push('policy.renewal_expired');
  } else if (event.type === 'renewed') types.push('policy.renewed');
  else if (event.type === 'renewal_due') types.push('policy.renewal_due');
  else if (event.toStatus !== 'active' || event.fromStatus === 'active') types.push('policy.updated');
  if (event.toStatus === 'active' && event.fromStatus !== 'active') types.push('policy.activated');
  return types;
}

/**
 * Cover the customer bought has ended early (cancelled, lapsed, or voided after it was paid for): they
 * are told. A quote never bound, or a binding never paid, ended nothing they had.
 */
export function endsBoundCover(policy: Policy, event: PolicyHistoryEntry): boolean {
  return endsEarly(event.type) && policy.boundAt !== null && event.fromStatus !== 'pending_payment';
}

const BOUGHT_FROM: readonly (string | null)[] = [null, 'quoted', 'pending_payment'];

/**
 * The customer is written to once, when the cover is bought (bound, or its payment confirmed) and its
 * dates are known, whether it begins now or later; cover waiting for the item's delivery is confirmed
 * when it begins. A scheduled cover that begins gets no second letter.
 */
function confirmsCover(policy: Policy, event: PolicyHistoryEntry): boolean {
  const live = event.toStatus === 'active' || event.toStatus === 'scheduled';
  if (live && BOUGHT_FROM.includes(event.fromStatus)) return policy.coverageStart !== null;
  return (
    event.toStatus === 'active' && event.fromStatus === 'scheduled' && policy.coverStart === 'at_fulfilment'
  );
}

/** After a policy changed: tell the partner, and write to the policyholder when cover is bought or ends. */
export async function notifyPolicyChange(
  deps: CoreDeps,
  policy: Policy,
  event: PolicyHistoryEntry,
): Promise<void> {
  const tenant = { partnerId: policy.partnerId, mode: policy.mode };
  for (const type of eventTypesFor(event)) {
    await publish(deps, tenant, type, policy.id, { policy, policyEvent: event.type });
  }
  if (confirmsCover(policy, event)) {
    await enqueue(deps, tenant, 'policy_letter', { policyId: policy.id }, { subjectId: policy.id });
  }
  if (endsBoundCover(policy, event)) {
    await enqueue(deps, tenant, 'cancellation_letter', { policyId: policy.id }, { subjectId: policy.id });
  }
}

/**
 * Writes to the policyholder again, at the partner's request: the letter with the certificate while
 * cover is in force (begun, or bought to begin on a known date), or the end-of-cover letter once a bound
 * policy ended early. Returns whether it applied: nothing is queued for a policyholder without an e-mail
 * address, or a policy the letter is not for.
 */
export async function resendLetter(
  deps: CoreDeps,
  policy: Policy,
  letter: 'cover' | 'end_of_cover',
): Promise<boolean> {
  const inForce =
    policy.status === 'active' || (policy.status === 'scheduled' && policy.coverageStart !== null);
  const applies =
    Boolean(policy.policyholder.email?.trim()) &&
    (letter === 'cover'
      ? inForce
      : (policy.status === 'cancelled' || policy.status === 'voided') && policy.boundAt !== null);
  if (applies) {
    const tenant = { partnerId: policy.partnerId, mode: policy.mode };
    const kind = letter === 'cover' ? 'policy_letter' : 'cancellation_letter';
    await enqueue(deps, tenant, kind, { policyId: policy.id }, { subjectId: policy.id });
  }
  return applies;
}
