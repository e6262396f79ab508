import { DEFAULT_INSTALMENTS_LAPSE_AFTER_DAYS } from '../catalog/product.js';
import { addDays } from '../clock.js';
import { CoreError, invalid } from '../errors.js';
import { requireProduct } from '../policies/lookups.js';
import type { Policy } from '../policies/policy.js';
import { isInForce } from '../policies/state-machine.js';
import type { CoreDeps } from '../ports.js';
import type { Instalment } from './instalment.js';
import { planFitsTerm, planInstalments } from './schedule.js';

/**
 * Writes the instalment schedule of a bound policy under one of its product's plans. The caller holds
 * the policy (locked, in its transaction), usually right after binding it. With `firstCollected`, the
 * first instalment is paid at once: the customer paid it at checkout, where the policy was bound (see
 * `bindPackage`); otherwise every instalment is owed.
 */
export async function startInstalments(
  deps: CoreDeps,
  policy: Policy,
  planName: string,
  opts: { firstCollected?: boolean } = {},
): Promise<Instalment[]> {
  if (!isInForce(policy.status)) {
    throw new CoreError('invalid_transition', `a ${policy.status} policy cannot be paid in instalments`, [
      { field: 'policyId', message: `the policy is ${policy.status}` },
    ]);
  }
  const product = await requireProduct(deps, policy);
  const fitting = (product.instalmentPlans ?? []).filter((p) => planFitsTerm(p, policy.termMonths));
  const plan = fitting.find((p) => p.name === planName);
  if (!plan) {
    const offered = fitting.map((p) => p.name).join(', ');
    throw invalid(
      'instalmentPlan',
      offered
        ? `${planName} is not a plan for ${product.code} over ${policy.termMonths} months; one of: ${offered}`
        : `${product.code} over ${policy.termMonths} months cannot be paid in instalments`,
    );
  }
  // Periods are counted from the start of cover; a product covering from delivery has none until then.
  if (!policy.coverageStart) {
    throw invalid(
      'instalmentPlan',
      'cover starts at fulfilment and has no start date yet: instalments need the start of cover',
    );
  }
  const tenant = { partnerId: policy.partnerId, mode: policy.mode };
  if ((await deps.repos.instalments.list(tenant, policy.id)).length > 0) {
    throw new CoreError('already_exists', 'the policy is already paid in instalments', [
      { field: 'instalmentPlan', message: 'the policy already has an instalment schedule' },
    ]);
  }
  const graceDays = product.instalmentsLapseAfterDays ?? DEFAULT_INSTALMENTS_LAPSE_AFTER_DAYS;
  const now = deps.clock.now();
  const instalments: Instalment[] = planInstalments(
    policy.premium,
    plan,
    policy.coverageStart,
    policy.termMonths,
  ).map((planned) => ({
    ...planned,
    id: deps.ids.next('instalment'),
    partnerId: policy.partnerId,
    mode: policy.mode,
    policyId: policy.id,
    currency: policy.premium.currency,
    ...(opts.firstCollected && planned.number === 1
      ? { status: 'paid' as const, paidAt: now, paymentAttemptedAt: now }
      : { status: 'unpaid' as const, paidAt: null, paymentAttemptedAt: null }),
    lapseAt: addDays(planned.periodStart, graceDays),
    createdAt: now,
    updatedAt: now,
  }));
  await deps.repos.instalments.insertMany(instalments);
  return instalments;
}

/**
 * A payment confirmed for a policy bound awaiting it (`confirmPayment`) is its checkout payment: with an
 * instalment plan, that is the first instalment. Nothing changes when it was paid already.
 */
export async function collectFirstInstalment(deps: CoreDeps, policy: Policy): Promise<void> {
  const tenant = { partnerId: policy.partnerId, mode: policy.mode };
  const first = await deps.repos.instalments.get(tenant, policy.id, 1, { forUpdate: true });
  if (!first || first.status === 'paid') return;
  const now = deps.clock.now();
  await deps.repos.instalments.update({
    ...first,
    status: 'paid',
    paidAt: now,
    paymentAttemptedAt: now,
    updatedAt: now,
  });
}
