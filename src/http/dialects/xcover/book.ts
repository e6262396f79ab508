import { CoreError, isCoreError } from '../../../core/errors.js';
import type { Tenant } from '../../../core/partners/partner.js';
import { bindPackage, PackageBindError, type PackageItem } from '../../../core/policies/bind-package.js';
import type { CoreDeps } from '../../../core/ports.js';
import { addRecord } from '../../../core/records/keep-record.js';
import {
  BOOKING,
  type BookingData,
  findBooking,
  type Loaded,
  type PackageData,
  packageQuote,
} from './packages.js';
import { checkPolicyholder, toCore } from './policyholder.js';
import { parseDate } from './quoting.js';
import type { Policyholder } from './schemas.js';

export interface BookRequest {
  quotes: { id: string; instalment_plan?: string | null | undefined }[];
  policyholder: Policyholder;
  paymentPending: boolean;
}

/** Fields of a quote XCover names as sent; any other failure of a quote is its `id`'s. */
const QUOTE_FIELDS = new Set(['id', 'policy_start_date', 'instalment_plan']);

/** The core's `items/{i}/…` as XCover's `quotes/{i}/…`, and its message for several failing quotes. */
function asXcover(error: PackageBindError): CoreError {
  const fields = error.fields.map((f) => {
    const [, index, field] = /^items\/(\d+)\/(.*)$/.exec(f.field) ?? [];
    if (index === undefined) return f;
    const named = field === 'coverage_start' ? 'policy_start_date' : field!;
    return { ...f, field: `quotes/${index}/${QUOTE_FIELDS.has(named) ? named : 'id'}` };
  });
  const n = error.failures.length;
  const message = n === 1 ? error.message : `${n} quotes could not be booked: nothing was booked`;
  return new CoreError(error.code, message, fields);
}

/** An error raised reading quote `i`, its fields relative to the quote as the core expects. */
function ofQuote(error: unknown, i: number): CoreError {
  if (!isCoreError(error)) throw error;
  const prefix = `quotes/${i}/`;
  const fields = error.fields.map((f) =>
    f.field.startsWith(prefix) ? { ...f, field: f.field.slice(prefix.length) } : f,
  );
  return new CoreError(error.code, error.message, fields);
}

/** What the core binds for each chosen quote of the package: its offer option, refs, start and plan. */
function packageItems(id: string, pkg: PackageData, quotes: BookRequest['quotes']) {
  const seen = new Set<string>();
  return quotes.map((chosen, i): PackageItem | CoreError => {
    const at = `quotes/${i}`;
    try {
      if (seen.has(chosen.id))
        throw new CoreError('validation_failed', 'quote listed twice', [
          { field: `${at}/id`, message: 'listed twice' },
        ]);
      seen.add(chosen.id);
      const quote = packageQuote(pkg, chosen.id, `${at}/id`);
      const refs: Record<string, string> = { booking_id: id, quote_id: quote.id };
      if (pkg.partner_transaction_id) refs.partner_transaction_id = pkg.partner_transaction_id;
      const start = parseDate(quote.request.policy_start_date, `${at}/policy_start_date`);
      return {
        source: { offerId: quote.offerId, optionId: quote.optionId },
        refs,
        ...(start ? { coverageStart: start } : {}),
        instalmentPlan: chosen.instalment_plan ?? null,
      };
    } catch (error) {
      return ofQuote(error, i);
    }
  });
}

const alreadyBooked = (id: string) =>
  new CoreError('invalid_transition', `quote package ${id} is already booked`, [
    { field: 'id', message: 'already booked' },
  ]);

/**
 * Books the chosen quotes of a package, all or nothing (the core's `bindPackage`): a quote that cannot
 * be bound fails the whole booking, and the answer names each failing quote.
 */
export async function book(
  deps: CoreDeps,
  tenant: Tenant,
  pkg: Loaded<PackageData>,
  input: BookRequest,
): Promise<Loaded<BookingData>> {
  const id = pkg.record.handle;
  if (await findBooking(deps.repos, tenant, id)) throw alreadyBooked(id);
  checkPolicyholder(input.policyholder);
  const items = packageItems(id, pkg.data, input.quotes);
  const policies = await bindPackage(deps, tenant, {
    policyholder: toCore(input.policyholder, pkg.data.customer_language),
    paymentPending: input.paymentPending,
    items,
  }).catch((error: unknown) => {
    throw error instanceof PackageBindError ? asXcover(error) : error;
  });
  const now = deps.clock.now();
  const data: BookingData = {
    policyholder: input.policyholder,
    quotes: policies.map((policy, i) => ({
      id: input.quotes[i]!.id,
      policyId: policy.id,
      instalmentPlan: input.quotes[i]!.instalment_plan ?? null,
    })),
    created_at: now.toISOString(),
    updated_at: now.toISOString(),
    updates: {},
    renewals: {},
  };
  const record = {
    kind: BOOKING,
    handle: id,
    key: null,
    ref: null,
    email: input.policyholder.email ?? null,
    data: data as unknown as Record<string, unknown>,
    personalId: null,
    createdAt: now,
  };
  // The booking's handle is the package's: the database lets one booking of a package exist, so a
  // concurrent second booking (past the check above) is refused here, and its policies roll back.
  await addRecord(deps, tenant, record).catch((error: unknown) => {
    throw error instanceof CoreError && error.code === 'already_exists' ? alreadyBooked(id) : error;
  });
  return { record, data };
}
