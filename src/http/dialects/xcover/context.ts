import type { FastifyRequest } from 'fastify';
import { customerLinkKey, customerUrl } from '../../../auth/customer-link.js';
import type { Tenant } from '../../../core/partners/partner.js';
import type { Repositories } from '../../../core/ports.js';
import {
  type BookingData,
  findBooking,
  type Loaded,
  loadBooking,
  loadPackage,
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
  const policy = views.find((v) => v.policy)?.policy;
  const services = request.server.protego;
  const accountUrl = policy
    ? await customerUrl(
        { baseUrl: baseUrl(request), key: customerLinkKey(services.tokenKey) },
        { partnerId: policy.partnerId, mode: policy.mode, policyId: policy.id },
        policy.coverageEnd,
        services.clock.now(),
      )
    : null;
  return {
    id: pkg.record.handle,
    pkg: pkg.data,
    booking: b.data,
    views,
    base: baseUrl(request),
    partnerCode: partnerCode(request),
    accountUrl,
  };
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
