import type { Claim } from '../claims/claim.js';
import type { Policy } from '../policies/policy.js';

const POLICY_DATES = [
  'coverageStart',
  'coverageEnd',
  'boundAt',
  'createdAt',
  'updatedAt',
  'renewalNotifiedAt',
] as const;

/** An event's policy snapshot, as stored in JSON, back to a Policy with its dates. */
export function revivePolicy(snapshot: unknown): Policy {
  const p = { ...(snapshot as Record<string, unknown>) };
  for (const f of POLICY_DATES) if (typeof p[f] === 'string') p[f] = new Date(p[f] as string);
  const item = { ...(p.item as Record<string, unknown>) };
  if (typeof item.purchasedAt === 'string') item.purchasedAt = new Date(item.purchasedAt);
  return { ...p, item } as unknown as Policy;
}

/** An event's claim snapshot, as stored in JSON, back to a Claim with its dates. */
export function reviveClaim(snapshot: unknown): Claim {
  const c = snapshot as Claim & { createdAt: string | Date; updatedAt: string | Date };
  return {
    ...c,
    createdAt: new Date(c.createdAt),
    updatedAt: new Date(c.updatedAt),
    attachments: (c.attachments ?? []).map((a) => ({ ...a, createdAt: new Date(a.createdAt) })),
  };
}
