import type { FastifyRequest } from 'fastify';
import { customerLinkKey, customerUrl } from '../../../auth/customer-link.js';
import { notFound } from '../../../core/errors.js';
import type { Tenant } from '../../../core/partners/partner.js';
import type { DialectRecord, Repositories } from '../../../core/ports.js';
import {
  type BookingData,
  findBooking,
  type Loaded,
  loadBooking,
  loadPackage,
  PACKAGE,
  type PackageData,
} from './packages.js';
import { ViewReader } from './views.js';
import {
  type BookingAnswer,
  bookingJson,
  bookingStatus,
  type Formatter,
  formatter,
  packageJson,
  type QuoteView,
} from './wire.js';

export function formatterFor(pkg: PackageData): Formatter {
  return formatter(pkg.currency, pkg.customer_language, pkg.customer_country);
}

/** Where the links in an answer point: this server, as the client reached it. */
export function baseUrl(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}

export function partnerCode(request: FastifyRequest): string {
  return (request.params as { partner: string }).partner;
}

/** A package's answer, with its status: booked packages show their booking's, else RECEIVED or OPTED_OUT. */
export async function renderPackage(
  repos: Repositories,
  tenant: Tenant,
  pkg: Loaded<PackageData>,
  errors: Record<string, unknown> = {},
) {
  const booking = await findBooking(repos, tenant, pkg.record.handle);
  const views = await new ViewReader(repos, tenant).package(pkg.data, booking?.data);
  const status = booking ? bookingStatus(views) : pkg.data.opted_out_at ? 'OPTED_OUT' : 'RECEIVED';
  return packageJson({ id: pkg.record.handle, pkg: pkg.data, views, status, errors }, formatterFor(pkg.data));
}

/**
 * The answers of a page of bookings, in four reads whatever the page's length: their packages, their
 * policies, the renewals of those, and the catalog's products (each once).
 */
export async function renderBookings(
  repos: Repositories,
  tenant: Tenant,
  request: FastifyRequest,
  bookings: readonly DialectRecord[],
) {
  const packages = new Map(
    (
      await repos.dialectRecords.getMany(
        tenant,
        PACKAGE,
        bookings.map((b) => b.handle),
      )
    ).map((r) => [r.handle, r]),
  );
  const reader = new ViewReader(repos, tenant);
  const data = bookings.map((b) => b.data as unknown as BookingData);
  await reader.prefetch(data);
  const rendered = [];
  for (const [i, record] of bookings.entries()) {
    const pkg = packages.get(record.handle);
    if (!pkg) throw notFound(`quote package ${record.handle}`, 'id');
    const pkgData = pkg.data as unknown as PackageData;
    const views = await reader.booking(data[i]!);
    const answer: BookingAnswer = {
      id: pkg.handle,
      pkg: pkgData,
      booking: data[i]!,
      views,
      base: baseUrl(request),
      partnerCode: partnerCode(request),
      accountUrl: await accountUrl(request, views),
    };
    rendered.push(bookingJson(answer, formatterFor(pkgData)));
  }
  return rendered;
}

export async function bookingAnswer(
  repos: Repositories,
  tenant: Tenant,
  request: FastifyRequest,
  id: string,
  booking?: Loaded<BookingData>,
): Promise<BookingAnswer> {
  const pkg = await loadPackage(repos, tenant, id);
  const b = booking ?? (await loadBooking(repos, tenant, id));
  const views = await new ViewReader(repos, tenant).booking(b.data);
  return {
    id: pkg.record.handle,
    pkg: pkg.data,
    booking: b.data,
    views,
    base: baseUrl(request),
    partnerCode: partnerCode(request),
    accountUrl: await accountUrl(request, views),
  };
}

/** The customer's self-service page of the booking's first policy: XCover's `account_url`. */
async function accountUrl(request: FastifyRequest, views: readonly QuoteView[]): Promise<string | null> {
  const policy = views.find((v) => v.policy)?.policy;
  if (!policy) return null;
  const services = request.server.protego;
  return customerUrl(
    { baseUrl: baseUrl(request), key: customerLinkKey(services.tokenKey) },
    { partnerId: policy.partnerId, mode: policy.mode, policyId: policy.id },
    policy.coverageEnd,
    services.clock.now(),
  );
}

export async function renderBooking(
  repos: Repositories,
  tenant: Tenant,
  request: FastifyRequest,
  id: string,
  opts: { booking?: Loaded<BookingData>; extra?: Record<string, unknown> } = {},
) {
  const answer = await bookingAnswer(repos, tenant, request, id, opts.booking);
  return bookingJson(answer, formatterFor(answer.pkg), opts.extra);
}
