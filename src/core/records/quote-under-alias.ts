import type { Tenant } from '../partners/partner.js';
import { type BindInput, bindPolicy } from '../policies/bind-policy.js';
import type { Policy } from '../policies/policy.js';
import type { CoreDeps, DialectRecord } from '../ports.js';

export interface AliasedQuoteInput {
  bind: Omit<BindInput, 'quoteOnly'>;
  /** The dialect's kind of alias and record, and its id for the policy (an Omocom insurance GUID). */
  kind: string;
  alias: string;
  /** The record the quote belongs to (its owner), for listing. */
  ref: string | null;
  /** What the dialect shows of the quote beyond the policy: names and values as its client sent them. */
  data: Record<string, unknown>;
}

/**
 * Prices a policy as a quote, to be accepted while it holds (`acceptPolicy`), under a dialect's own id
 * for it: the alias resolves to the policy, the record keeps what the dialect presents with it.
 */
export async function quoteUnderAlias(
  deps: CoreDeps,
  tenant: Tenant,
  input: AliasedQuoteInput,
): Promise<{ policy: Policy; record: DialectRecord }> {
  const policy = await bindPolicy(deps, tenant, { ...input.bind, quoteOnly: true });
  await deps.repos.aliases.add(tenant, {
    kind: input.kind,
    alias: input.alias,
    targetId: policy.id,
    createdAt: policy.createdAt,
  });
  const record: DialectRecord = {
    kind: input.kind,
    handle: input.alias,
    key: policy.id,
    ref: input.ref,
    email: null,
    data: input.data,
    personalId: null,
    createdAt: policy.createdAt,
  };
  await deps.repos.dialectRecords.insert(tenant, record);
  return { policy, record };
}
