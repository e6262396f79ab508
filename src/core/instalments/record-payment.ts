import { CoreError, notFound } from '../errors.js';
import type { Tenant } from '../partners/partner.js';
import { requirePolicy } from '../policies/lookups.js';
import { isInForce } from '../policies/state-machine.js';
import type { CoreDeps } from '../ports.js';
import type { Instalment } from './instalment.js';

export interface InstalmentPaymentInput {
  number: number;
  /** As payment providers report it. */
  status: 'PAID' | 'FAILED';
  attemptedAt: Date;
}

/**
 * Records the outcome of collecting one instalment. A paid instalment stays paid: reporting it again
 * (a retry, or a late failure notice) changes nothing and answers the same.
 */
export async function recordInstalmentPayment(
  deps: CoreDeps,
  tenant: Tenant,
  policyId: string,
  input: InstalmentPaymentInput,
): Promise<Instalment> {
  // The policy lock orders this against a lapse of the same policy.
  const policy = await requirePolicy(deps, tenant, policyId, true);
  const instalment = await deps.repos.instalments.get(tenant, policyId, input.number, { forUpdate: true });
  if (!instalment) throw notFound(`instalment ${input.number}`, 'instalmentNumber');
  if (instalment.status === 'paid') return instalment;
  if (!isInForce(policy.status)) {
    throw new CoreError('invalid_transition', `the policy is ${policy.status}: it takes no more payments`, [
      { field: 'policyId', message: `a ${policy.status} policy takes no instalment payments` },
    ]);
  }
  const paid = input.status === 'PAID';
  const next: Instalment = {
    ...instalment,
    status: paid ? 'paid' : 'failed',
    paidAt: paid ? input.attemptedAt : null,
    paymentAttemptedAt: input.attemptedAt,
    updatedAt: deps.clock.now(),
  };
  await deps.repos.instalments.update(next);
  return next;
}
