import { CoreError, isCoreError } from '../errors.js';
import { startInstalments } from '../instalments/start-instalments.js';
import type { Tenant } from '../partners/partner.js';
import type { CoreDeps } from '../ports.js';
import { type BindSource, bindPolicy } from './bind-policy.js';
import type { MerchantRefs, Policy, Policyholder } from './policy.js';

/** One policy of a package: what `bindPolicy` binds, and the instalment plan it is paid by, if any. */
export interface PackageItem {
  source: BindSource;
  refs?: MerchantRefs;
  coverageStart?: Date;
  instalmentPlan?: string | null;
}

export interface PackageInput {
  /** The one policyholder of every policy. */
  policyholder: Policyholder;
  paymentPending?: boolean;
  /**
   * The policies to bind, in order. An item the caller could not even read (an unknown quote) is given
   * as its error, fields relative to the item, and is reported at its index with the others.
   */
  items: (PackageItem | CoreError)[];
}

/** Why a package was not bound: every failing item by its index; nothing of the package was written. */
export class PackageBindError extends CoreError {
  constructor(readonly failures: { index: number; error: CoreError }[]) {
    const first = failures[0]!.error;
    super(
      first.code,
      failures.length === 1
        ? first.message
        : `${failures.length} items could not be bound: nothing was bound`,
      failures.flatMap(({ index, error }) => error.fields.map((f) => atItem(index, f))),
    );
    this.name = 'PackageBindError';
  }
}

/** A field of item `index` as `items/{index}/…`; the shared policyholder's fields stay as they are. */
function atItem(index: number, f: { field: string; message: string }) {
  return f.field.startsWith('policyholder/') ? f : { ...f, field: `items/${index}/${f.field}` };
}

/**
 * Binds several policies all or nothing: each item is bound (and its instalments started) in order; if
 * any fails, a PackageBindError names every failing item and the caller's transaction writes none.
 */
export async function bindPackage(deps: CoreDeps, tenant: Tenant, input: PackageInput): Promise<Policy[]> {
  const policies: Policy[] = [];
  const failures: { index: number; error: CoreError }[] = [];
  for (const [index, item] of input.items.entries()) {
    if (isCoreError(item)) {
      failures.push({ index, error: item });
      continue;
    }
    try {
      policies.push(await bindItem(deps, tenant, input, item));
    } catch (error) {
      if (!isCoreError(error)) throw error;
      failures.push({ index, error });
    }
  }
  if (failures.length > 0) throw new PackageBindError(failures);
  return policies;
}

async function bindItem(deps: CoreDeps, tenant: Tenant, input: PackageInput, item: PackageItem) {
  const policy = await bindPolicy(deps, tenant, {
    source: item.source,
    policyholder: input.policyholder,
    ...(item.refs ? { refs: item.refs } : {}),
    ...(item.coverageStart ? { coverageStart: item.coverageStart } : {}),
    paymentPending: input.paymentPending ?? false,
  });
  if (item.instalmentPlan) {
    try {
      // Binding is the checkout: the first instalment was collected there, unless the payment is
      // still to be confirmed (then confirming it collects the first instalment).
      await startInstalments(deps, policy, item.instalmentPlan, {
        firstCollected: policy.status !== 'pending_payment',
      });
    } catch (error) {
      if (!isCoreError(error)) throw error;
      // Whatever the schedule refused, it is this item's plan that cannot be.
      const fields = error.fields.map((f) => ({ ...f, field: 'instalmentPlan' }));
      throw new CoreError(error.code, error.message, fields);
    }
  }
  return policy;
}
