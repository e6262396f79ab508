import { randomInt } from 'node:crypto';
import { CoreError, notFound } from '../../../core/errors.js';
import type { Tenant } from '../../../core/partners/partner.js';
import type { Policy } from '../../../core/policies/policy.js';
import type { CoreDeps, DialectRecord, Repositories } from '../../../core/ports.js';
import { saveRecord } from '../../../core/records/keep-record.js';
import type { Policyholder, QuoteRequest } from './schemas.js';

/**
 * XCover's quote package (`XXXXX-XXXXX-INS`) is a dialect record: the quotes the partner asked for, each
 * priced by a core offer. Once booked, a second record of the same id holds the policyholder and, per
 * quote, the policy it bound. A priced update, renewal or cancellation is the core's alone: a group of
 * policy changes under the id shown (`update_id`, `renewal_id`, `cancellation_id`).
 */
export const PACKAGE = 'xcover_package';
export const BOOKING = 'xcover_booking';

export interface PackageQuote {
  /** The quote's UUID, shown to the partner. */
  id: string;
  offerId: string;
  optionId: string;
  request: QuoteRequest;
  createdAt: string;
  updatedAt: string;
}

export interface PackageData {
  currency: string;
  customer_country: string;
  customer_region: string | null;
  customer_language: string;
  partner_transaction_id: string | null;
  security_token: string;
  quotes: PackageQuote[];
  opted_out_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface BookedQuote {
  id: string;
  policyId: string;
  instalmentPlan: string | null;
}

export interface BookingData {
  policyholder: Policyholder;
  quotes: BookedQuote[];
  created_at: string;
  updated_at: string;
}

const ALNUM = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const MIXED = 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const group = (alphabet: string) =>
  Array.from({ length: 5 }, () => alphabet[randomInt(alphabet.length)]).join('');

/** Identifiers in XCover's shapes: `33K6D-WBHLY-INS`, `u7Thv-d6C5P-8FAQW-CCL`, tokens of four groups. */
export const xcoverIds = {
  package: () => `${group(ALNUM)}-${group(ALNUM)}-INS`,
  token: () => [group(MIXED), group(MIXED), group(MIXED), group(MIXED)].join('-'),
  action: (suffix: 'CCL' | 'UPD' | 'RNW') => `${group(MIXED)}-${group(MIXED)}-${group(MIXED)}-${suffix}`,
};

export interface Loaded<T> {
  record: DialectRecord;
  data: T;
}

export async function findPackage(
  repos: Repositories,
  tenant: Tenant,
  id: string,
  opts: { forUpdate?: boolean } = {},
): Promise<Loaded<PackageData> | undefined> {
  const record = await repos.dialectRecords.get(tenant, PACKAGE, id.toUpperCase(), opts);
  return record && { record, data: record.data as unknown as PackageData };
}

export async function loadPackage(
  repos: Repositories,
  tenant: Tenant,
  id: string,
  opts: { forUpdate?: boolean } = {},
): Promise<Loaded<PackageData>> {
  const found = await findPackage(repos, tenant, id, opts);
  if (!found) throw notFound(`quote package ${id}`, 'id');
  return found;
}

export async function findBooking(
  repos: Repositories,
  tenant: Tenant,
  id: string,
  opts: { forUpdate?: boolean } = {},
): Promise<Loaded<BookingData> | undefined> {
  const record = await repos.dialectRecords.get(tenant, BOOKING, id.toUpperCase(), opts);
  return record && { record, data: record.data as unknown as BookingData };
}

export async function loadBooking(
  repos: Repositories,
  tenant: Tenant,
  id: string,
  opts: { forUpdate?: boolean } = {},
): Promise<Loaded<BookingData>> {
  const found = await findBooking(repos, tenant, id, opts);
  if (!found) throw notFound(`booking ${id}`, 'id');
  return found;
}

export async function save<T>(deps: CoreDeps, tenant: Tenant, loaded: Loaded<T>) {
  const data = { ...loaded.data, updated_at: deps.clock.now().toISOString() } as T;
  await saveRecord(deps, tenant, {
    ...loaded.record,
    data: data as unknown as Record<string, unknown>,
  });
  loaded.data = data;
}

export function packageQuote(pkg: PackageData, quoteId: string, field = 'quotes'): PackageQuote {
  const quote = pkg.quotes.find((q) => q.id === quoteId);
  if (!quote) throw notFound(`quote ${quoteId}`, field);
  return quote;
}

/** A booked quote's id by its policy's. */
export function quoteOf(booking: BookingData, policyId: string): string {
  return booking.quotes.find((q) => q.policyId === policyId)!.id;
}

export function bookedQuote(booking: BookingData, quoteId: string, field = 'quotes'): BookedQuote {
  const quote = booking.quotes.find((q) => q.id === quoteId);
  if (!quote) throw notFound(`quote ${quoteId} in this booking`, field);
  return quote;
}

/**
 * The quotes an action on a booking is for: those named (each must be in the booking), else every
 * quote whose policy the action applies to; none is refused, with `nothing` as the reason.
 */
export async function selectQuotes(
  repos: Repositories,
  tenant: Tenant,
  booking: BookingData,
  named: { id: string }[] | undefined,
  applies: (policy: Policy) => boolean,
  nothing: string,
): Promise<BookedQuote[]> {
  if (named) return named.map((q, i) => bookedQuote(booking, q.id, `quotes/${i}/id`));
  const chosen: BookedQuote[] = [];
  for (const q of booking.quotes) {
    const policy = await repos.policies.get(tenant, q.policyId);
    if (policy && applies(policy)) chosen.push(q);
  }
  if (chosen.length === 0) {
    throw new CoreError('invalid_transition', nothing, [{ field: 'id', message: nothing }]);
  }
  return chosen;
}
