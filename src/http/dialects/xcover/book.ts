import { CoreError, isCoreError } from '../../../core/errors.js';
import { startInstalments } from '../../../core/instalments/start-instalments.js';
import type { Tenant } from '../../../core/partners/partner.js';
import { bindPolicy } from '../../../core/policies/bind-policy.js';
import type { CoreDeps } from '../../../core/ports.js';
import {
  BOOKING,
  type BookedQuote,
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

/**
 * Binds every chosen quote of a package, all or nothing: a quote that cannot be bound fails the whole
 * booking (the transaction writes none of it), and the answer names each failing quote.
 */
export async function book(
  deps: CoreDeps,
  tenant: Tenant,
  pkg: Loaded<PackageData>,
  input: BookRequest,
): Promise<Loaded<BookingData>> {
  const id = pkg.record.handle;
  if (await findBooking(deps.repos, tenant, id)) {
    throw new CoreError('invalid_transition', `quote package ${id} is already booked`, [
      { field: 'id', message: 'already booked' },
    ]);
  }
  checkPolicyholder(input.policyholder);
  const holder = toCore(input.policyholder, pkg.data.customer_language);
  const booked: BookedQuote[] = [];
  const failures: CoreError[] = [];
  const seen = new Set<string>();
  for (const [i, chosen] of input.quotes.entries()) {
    const at = `quotes/${i}`;
    try {
      if (seen.has(chosen.id))
        throw new CoreError('validation_failed', 'quote listed twice', [
          { field: `${at}/id`, message: 'listed twice' },
        ]);
      seen.add(chosen.id);
      const quote = packageQuote(pkg.data, chosen.id, `${at}/id`);
      const refs: Record<string, string> = { booking_id: id, quote_id: quote.id };
      if (pkg.data.partner_transaction_id) refs.partner_transaction_id = pkg.data.partner_transaction_id;
      const start = parseDate(quote.request.policy_start_date, `${at}/policy_start_date`);
      const policy = await bindPolicy(deps, tenant, {
        source: { offerId: quote.offerId, optionId: quote.optionId },
        policyholder: holder,
        refs,
        ...(start ? { coverageStart: start } : {}),
        paymentPending: input.paymentPending,
      });
      if (chosen.instalment_plan) {
        try {
          await startInstalments(deps, policy, chosen.instalment_plan);
        } catch (error) {
          if (isCoreError(error)) {
            throw new CoreError(
              error.code,
              error.message,
              error.fields.map((f) => ({ ...f, field: `${at}/instalment_plan` })),
            );
          }
          throw error;
        }
      }
      booked.push({ id: quote.id, policyId: policy.id, instalmentPlan: chosen.instalment_plan ?? null });
    } catch (error) {
      if (!isCoreError(error)) throw error;
      const fields = error.fields.map((f) =>
        f.field.startsWith('policyholder/') || f.field.startsWith(at) ? f : { ...f, field: `${at}/id` },
      );
      failures.push(new CoreError(error.code, error.message, fields));
    }
  }
  if (failures.length > 0) {
    const first = failures[0]!;
    const message =
      failures.length === 1
        ? first.message
        : `${failures.length} quotes could not be booked: nothing was booked`;
    throw new CoreError(
      first.code,
      message,
      failures.flatMap((f) => f.fields),
    );
  }
  const now = deps.clock.now();
  const data: BookingData = {
    policyholder: input.policyholder,
    quotes: booked,
    created_at: now.toISOString(),
    updated_at: now.toISOString(),
    cancellations: {},
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
  await deps.repos.dialectRecords.insert(tenant, record);
  return { record, data };
}
