import { notifyPolicyChange } from '../notifications/policy-notifications.js';
import type { CoreDeps } from '../ports.js';
import type { Policy, PolicyHistoryEntry, PolicyHistoryType, PolicyStatus } from './policy.js';
import { assertTransition, type PolicyAction } from './state-machine.js';

/** Moves a policy along the state machine and records why, in the caller's transaction. */
export async function transition(
  deps: CoreDeps,
  policy: Policy,
  action: PolicyAction,
  to: PolicyStatus,
  type: PolicyHistoryType,
  change: Partial<Policy> = {},
  data: Record<string, unknown> = {},
): Promise<Policy> {
  assertTransition(action, policy.status, to);
  const now = deps.clock.now();
  const next: Policy = { ...policy, ...change, status: to, updatedAt: now };
  await recordChange(deps, next, policyEvent(deps, next, type, policy.status, data));
  return next;
}

/** Writes a policy's new state with the event that explains it, and what that change must tell others. */
export async function recordChange(
  deps: CoreDeps,
  policy: Policy,
  event: PolicyHistoryEntry,
  opts = { insert: false },
) {
  if (opts.insert) await deps.repos.policies.insert(policy, event);
  else await deps.repos.policies.update(policy, event);
  await notifyPolicyChange(deps, policy, event);
}

export function policyEvent(
  deps: CoreDeps,
  policy: Policy,
  type: PolicyHistoryType,
  fromStatus: PolicyStatus | null,
  data: Record<string, unknown> = {},
): PolicyHistoryEntry {
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
