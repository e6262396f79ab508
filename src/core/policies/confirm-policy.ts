import { addMonths } from '../clock.js';
import { CoreError } from '../errors.js';
import { collectFirstInstalment } from '../instalments/start-instalments.js';
import type { Tenant } from '../partners/partner.js';
import type { CoreDeps } from '../ports.js';
import { isQuoteValid, quoteExpiry } from '../quote-validity.js';
import { requirePolicy } from './lookups.js';
import type { Policy } from './policy.js';
import { liveStatus } from './state-machine.js';
import { policyEvent, recordChange, transition } from './transition.js';

/**
 * Until when a quoted policy can be accepted. A quote is priced when it is created and nothing
 * reprices it, so its expiry follows from its creation by the one quote-validity rule: nothing to
 * store, and every quote already given keeps the expiry it was shown.
 */
/** The states of a bound policy still in force, where accepting again changes nothing. */
const IN_FORCE: ReadonlySet<Policy['status']> = new Set(['pending_payment', 'scheduled', 'active']);

export const quoteExpiresAt = (policy: Pick<Policy, 'createdAt'>): Date => quoteExpiry(policy.createdAt);

/**
 * Accepts a quoted policy (bind) while its quote holds, and is harmless to repeat while the policy is in
 * force. A policy that has ended (cancelled, expired) or was voided is refused: an accept does not
 * answer as if it had happened when the state it asks for is gone.
 */
export async function acceptPolicy(
  deps: CoreDeps,
  tenant: Tenant,
  policyId: string,
  opts: { paymentPending?: boolean } = {},
): Promise<Policy> {
  const policy = await requirePolicy(deps, tenant, policyId, true);
  if (policy.status !== 'quoted') return IN_FORCE.has(policy.status) ? policy : transitionFails(policy);
  const now = deps.clock.now();
  const expiresAt = quoteExpiresAt(policy);
  if (!isQuoteValid(expiresAt, now)) {
    throw new CoreError('offer_expired', `the quote expired at ${expiresAt.toISOString()}`, [
      { field: 'policyId', message: 'quote expired' },
    ]);
  }
  const status = liveStatus({
    paymentPending: opts.paymentPending ?? false,
    coverageStart: policy.coverageStart,
    now,
  });
  return transition(deps, policy, 'bind', status, 'bound', { boundAt: now });
}

/** Payment arrived for a pending policy: cover is scheduled or begins. */
export async function confirmPayment(deps: CoreDeps, tenant: Tenant, policyId: string): Promise<Policy> {
  const policy = await requirePolicy(deps, tenant, policyId, true);
  const now = deps.clock.now();
  const status = liveStatus({ paymentPending: false, coverageStart: policy.coverageStart, now });
  const confirmed = await transition(deps, policy, 'confirm_payment', status, 'payment_confirmed');
  await collectFirstInstalment(deps, confirmed);
  return confirmed;
}

/** Cover begins for a scheduled policy whose start has come (the scheduler calls this). */
export async function activatePolicy(deps: CoreDeps, policy: Policy): Promise<Policy> {
  return transition(deps, policy, 'activate', 'active', 'activated');
}

/** Sets the start of cover for a policy that waited for fulfilment, activating it if the start has passed. */
export async function startCover(deps: CoreDeps, policy: Policy, at: Date): Promise<Policy> {
  const change = { coverageStart: at, coverageEnd: addMonths(at, policy.termMonths) };
  const now = deps.clock.now();
  if (policy.status === 'scheduled' && at.getTime() <= now.getTime()) {
    return transition(deps, policy, 'activate', 'active', 'activated', change, {
      fulfilledAt: at.toISOString(),
    });
  }
  const next: Policy = { ...policy, ...change, updatedAt: now };
  await recordChange(
    deps,
    next,
    policyEvent(deps, next, 'cover_started', policy.status, { fulfilledAt: at.toISOString() }),
  );
  return next;
}

function transitionFails(policy: Policy): never {
  throw new CoreError('invalid_transition', `a ${policy.status} policy cannot be accepted`, [
    { field: 'policyId', message: `the policy is ${policy.status}` },
  ]);
}
