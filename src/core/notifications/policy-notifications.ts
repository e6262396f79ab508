import type { Policy, PolicyEvent } from '../policies/policy.js';
import type { CoreDeps } from '../ports.js';
import type { EventType } from './event.js';
import { enqueue, publish } from './publish.js';

/** Which partner-facing events a change of a policy makes. */
export function eventTypesFor(event: PolicyEvent): EventType[] {
  const types: EventType[] = [];
  if (event.fromStatus === null) types.push('policy.created');
  else if (event.type === 'cancelled' || event.type === 'voided' || event.type === 'lapsed')
    types.push('policy.cancelled');
  else if (event.type === 'expired') {
    types.push('policy.expired');
    // Set by the expiry step when the product is renewable and no renewal was confirmed.
    if (event.data.renewal_expired === true) types.push('policy.renewal_expired');
  } else if (event.type === 'renewed') types.push('policy.renewed');
  else if (event.type === 'renewal_due') types.push('policy.renewal_due');
  else if (event.toStatus !== 'active' || event.fromStatus === 'active') types.push('policy.updated');
  if (event.toStatus === 'active' && event.fromStatus !== 'active') types.push('policy.activated');
  return types;
}

/** After a policy changed: tell the partner, and send the policyholder their letter once cover begins. */
export async function notifyPolicyChange(deps: CoreDeps, policy: Policy, event: PolicyEvent): Promise<void> {
  const tenant = { partnerId: policy.partnerId, mode: policy.mode };
  for (const type of eventTypesFor(event)) {
    await publish(deps, tenant, type, policy.id, { policy, policy_event: event.type });
  }
  if (event.toStatus === 'active' && event.fromStatus !== 'active') {
    await enqueue(deps, tenant, 'policy_letter', { policy_id: policy.id });
  }
}
