import type { Claim } from '../../core/claims/claim.js';

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
