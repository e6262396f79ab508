import type { CoreDeps } from '../ports.js';
import type { Policy, PolicyEvent, PolicyEventType, PolicyStatus } from './policy.js';
import { assertTransition, type PolicyAction } from './state-machine.js';

/** Moves a policy along the state machine and records why, in the caller's transaction. */
export async function transition(
  deps: CoreDeps,
  policy: Policy,
  action: PolicyAction,
  to: PolicyStatus,
  type: PolicyEventType,
  change: Partial<Policy> = {},
  data: Record<string, unknown> = {},
): Promise<Policy> {
  assertTransition(action, policy.status, to);
  const now = deps.clock.now();
  const next: Policy = { ...policy, ...change, status: to, updatedAt: now };
  await deps.repos.policies.update(next, policyEvent(deps, next, type, policy.status, data));
  return next;
}

export function policyEvent(
  deps: CoreDeps,
  policy: Policy,
  type: PolicyEventType,
  fromStatus: PolicyStatus | null,
  data: Record<string, unknown> = {},
): PolicyEvent {
  return {
    id: deps.ids.next('policyEvent'),
    policyId: policy.id,
    type,
    fromStatus,
    toStatus: policy.status,
    occurredAt: deps.clock.now(),
    data,
  };
}
