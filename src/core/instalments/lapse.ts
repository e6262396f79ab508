import type { Tenant } from '../partners/partner.js';
import type { Policy } from '../policies/policy.js';
import { transition } from '../policies/transition.js';
import type { CoreDeps } from '../ports.js';
import { paidSoFar } from './instalment.js';

/**
 * Ends the cover of a policy whose instalment is still unpaid at its lapse time, after checking again
 * under lock (it may have been paid, or the policy ended, since the scheduler looked). Nothing is
 * refunded; the event records the premium never collected, which the partner's statement takes back.
 */
export async function lapseOverdue(
  deps: CoreDeps,
  tenant: Tenant,
  policyId: string,
): Promise<Policy | undefined> {
  const policy = await deps.repos.policies.get(tenant, policyId, { forUpdate: true });
  if (!policy || (policy.status !== 'active' && policy.status !== 'scheduled')) return undefined;
  const now = deps.clock.now().getTime();
  const instalments = await deps.repos.instalments.list(tenant, policyId);
  const overdue = instalments.find((i) => i.status !== 'paid' && i.lapseAt.getTime() <= now);
  if (!overdue) return undefined;
  const currency = policy.premium.currency;
  const refund = { amount: 0, currency };
  return transition(
    deps,
    policy,
    'cancel',
    'cancelled',
    'lapsed',
    { refund },
    {
      reason: 'instalment_unpaid',
      instalmentNumber: overdue.number,
      refund,
      rule: 'no_refund',
      uncollected: { amount: policy.premium.total - paidSoFar(instalments), currency },
    },
  );
}
