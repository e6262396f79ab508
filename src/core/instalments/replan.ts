import type { Policy } from '../policies/policy.js';
import type { CoreDeps } from '../ports.js';
import type { Premium } from '../pricing/premium.js';
import type { Instalment } from './instalment.js';
import { split } from './schedule.js';

/**
 * After a policy was repriced, the instalments still unpaid share what the new premium leaves after
 * those paid (net and tax apart, the remainder on the first unpaid), so the schedule adds up to the
 * premium again. A premium that fell below what was already paid leaves the unpaid ones at zero; once
 * everything is paid, a difference is settled outside the schedule.
 */
export async function replanInstalments(
  deps: CoreDeps,
  policy: Policy,
  premium: Premium,
): Promise<Instalment[]> {
  const tenant = { partnerId: policy.partnerId, mode: policy.mode };
  const instalments = await deps.repos.instalments.list(tenant, policy.id);
  const unpaid = instalments.filter((i) => i.status !== 'paid');
  if (unpaid.length === 0) return instalments;
  const paid = instalments.filter((i) => i.status === 'paid');
  const sum = (pick: (i: Instalment) => number) => paid.reduce((s, i) => s + pick(i), 0);
  const net = split(Math.max(0, premium.net - sum((i) => i.net)), unpaid.length);
  const tax = split(Math.max(0, premium.tax - sum((i) => i.tax)), unpaid.length);
  const now = deps.clock.now();
  const replanned = unpaid.map((i, k) => ({
    ...i,
    net: net[k]!,
    tax: tax[k]!,
    amount: net[k]! + tax[k]!,
    updatedAt: now,
  }));
  for (const i of replanned) await deps.repos.instalments.update(i);
  return [...paid, ...replanned].sort((a, b) => a.number - b.number);
}
