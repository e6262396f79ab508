import { Type } from 'typebox';
import { CoreError, isCoreError } from '../../../core/errors.js';
import { declineOffer, storeOffer } from '../../../core/offers/create-offer.js';
import type { Offer } from '../../../core/offers/offer.js';
import type { Market, Tenant } from '../../../core/partners/partner.js';
import type { CoreDeps } from '../../../core/ports.js';
import { addRecord } from '../../../core/records/keep-record.js';
import type { App } from '../../context.js';
import type { Kit } from '../../kit/api.js';
import { formatterFor, renderPackage } from './context.js';
import { nestErrors, xcoverField } from './errors.js';
import {
  findBooking,
  loadPackage,
  PACKAGE,
  type PackageData,
  type PackageQuote,
  packageQuote,
  save,
  xcoverIds,
} from './packages.js';
import { mergeRequest, packageMarket, priceQuote } from './quoting.js';
import { NoContent, QuotePackageResponse } from './response-schemas.js';
import {
  AddQuotesBody,
  NoBody,
  PackageParams,
  PartnerParams,
  QuoteIdList,
  QuotePackageBody,
  type QuoteRequest,
  UpdatePackageBody,
} from './schemas.js';
import { ViewReader } from './views.js';
import { packageJson } from './wire.js';

const PARTIAL = new Set(['not_eligible', 'product_not_enabled', 'validation_failed']);

/**
 * Prices every request of a package. With `partial`, a request the catalog cannot cover is reported in
 * `errors` under its index while the others are quoted, as XCover does for a new package; otherwise, and
 * when none can be quoted, the call is refused naming every failing request.
 */
export async function priceRequests(
  deps: CoreDeps,
  tenant: Tenant,
  market: Market,
  requests: QuoteRequest[],
  opts: { store: boolean; partial: boolean },
): Promise<{ quotes: PackageQuote[]; offers: Map<string, Offer>; errors: Record<string, unknown> }> {
  const now = deps.clock.now().toISOString();
  const quotes: PackageQuote[] = [];
  const offers = new Map<string, Offer>();
  const failures: CoreError[] = [];
  const errors: Record<string, unknown> = {};
  for (const [i, request] of requests.entries()) {
    try {
      const { offer, option } = await priceQuote(deps, tenant, market, request, `request/${i}`);
      if (opts.store) await storeOffer(deps, tenant, offer);
      offers.set(offer.id, offer);
      quotes.push({
        id: deps.ids.uuid(),
        offerId: offer.id,
        optionId: option.id,
        request,
        createdAt: now,
        updatedAt: now,
      });
    } catch (error) {
      if (!isCoreError(error) || !PARTIAL.has(error.code)) throw error;
      failures.push(error);
      const within = error.fields.map((f) => ({
        ...f,
        field: xcoverField(f.field.replace(/^request\/\d+\/?/, '')) || 'non_field_errors',
      }));
      errors[String(i)] = nestErrors(within);
    }
  }
  const first = failures[0];
  if (first && (!opts.partial || quotes.length === 0)) {
    const message = failures.length === 1 ? first.message : `${failures.length} requests cannot be quoted`;
    throw new CoreError(
      first.code,
      message,
      failures.flatMap((f) => f.fields),
    );
  }
  return { quotes, offers, errors };
}

async function requireUnbooked(deps: CoreDeps, tenant: Tenant, id: string): Promise<void> {
  if (await findBooking(deps.repos, tenant, id)) {
    throw new CoreError('invalid_transition', `quote package ${id} is booked: change the booking instead`, [
      { field: 'id', message: 'the package is booked' },
    ]);
  }
}

/** Quote packages: create (or fast-quote), read, change, add to, delete from, and opt out of. */
export async function quoteRoutes(app: App, { write }: Kit): Promise<void> {
  app.post(
    '/quotes/',
    {
      schema: {
        summary: 'Create a quote package (XCover)',
        description:
          'One priced quote per request entry. `?fast_quote=1` prices without storing: nothing to book.',
        tags: ['xcover'],
        params: PartnerParams,
        querystring: Type.Object({
          fast_quote: Type.Optional(Type.Union([Type.Boolean(), Type.Integer({ minimum: 0, maximum: 1 })])),
        }),
        body: QuotePackageBody,
        response: { 201: QuotePackageResponse, 200: QuotePackageResponse },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const fast = Boolean(request.query.fast_quote);
      return write(request, reply, async (deps) => {
        const tenant = request.tenant;
        const market = await packageMarket(deps, tenant, body);
        const { quotes, offers, errors } = await priceRequests(deps, tenant, market, body.request, {
          store: !fast,
          partial: true,
        });
        const now = deps.clock.now().toISOString();
        const pkg: PackageData = {
          currency: market.currency,
          customer_country: market.country,
          customer_region: body.customer_region ?? null,
          customer_language: market.language,
          partner_transaction_id: body.partner_transaction_id ?? null,
          security_token: xcoverIds.token(),
          quotes,
          opted_out_at: null,
          created_at: now,
          updated_at: now,
        };
        if (fast) {
          const reader = new ViewReader(deps.repos, tenant);
          const views = [];
          for (const q of quotes) views.push(await reader.fromOffer(q, offers.get(q.offerId)!, 'RECEIVED'));
          return {
            status: 200,
            body: packageJson({ id: null, pkg, views, status: 'RECEIVED', errors }, formatterFor(pkg)),
          };
        }
        const id = xcoverIds.package();
        const record = {
          kind: PACKAGE,
          handle: id,
          key: null,
          ref: null,
          email: null,
          data: pkg as unknown as Record<string, unknown>,
          personalId: null,
          createdAt: deps.clock.now(),
        };
        await addRecord(deps, tenant, record);
        return { status: 201, body: await renderPackage(deps.repos, tenant, { record, data: pkg }, errors) };
      });
    },
  );

  app.get(
    '/quotes/:id/',
    {
      schema: {
        summary: 'Get a quote package (XCover)',
        tags: ['xcover'],
        params: PackageParams,
        response: { 200: QuotePackageResponse },
      },
    },
    async (request) => {
      const repos = app.protego.db.read;
      return renderPackage(
        repos,
        request.tenant,
        await loadPackage(repos, request.tenant, request.params.id),
      );
    },
  );

  app.patch(
    '/quotes/:id/',
    {
      schema: {
        summary: 'Change a quote package (XCover): currency, country, language, or quotes by quote_id',
        tags: ['xcover'],
        params: PackageParams,
        body: UpdatePackageBody,
        response: { 200: QuotePackageResponse },
      },
    },
    async (request, reply) =>
      write(request, reply, async (deps) => {
        const tenant = request.tenant;
        const body = request.body;
        await requireUnbooked(deps, tenant, request.params.id);
        const pkg = await loadPackage(deps.repos, tenant, request.params.id, { forUpdate: true });
        // A new currency alone moves the package to the market that sells in it.
        const newCurrency = body.currency !== undefined && body.currency.toUpperCase() !== pkg.data.currency;
        const market = await packageMarket(deps, tenant, {
          currency: body.currency ?? pkg.data.currency,
          customer_country: body.customer_country ?? (newCurrency ? undefined : pkg.data.customer_country),
          customer_language: body.customer_language ?? (newCurrency ? undefined : pkg.data.customer_language),
        });
        const changes = new Map(
          (body.request ?? []).map((c, i) => {
            packageQuote(pkg.data, c.quote_id, `request/${i}/quote_id`);
            return [c.quote_id, c] as const;
          }),
        );
        // Every quote is priced again: a new currency or country changes them all.
        const requests = pkg.data.quotes.map((q) => {
          const change = changes.get(q.id);
          return change ? mergeRequest(q.request, change as Partial<QuoteRequest>) : q.request;
        });
        const priced = await priceRequests(deps, tenant, market, requests, { store: true, partial: false });
        pkg.data = {
          ...pkg.data,
          currency: market.currency,
          customer_country: market.country,
          customer_language: market.language,
          customer_region:
            body.customer_region === undefined ? pkg.data.customer_region : body.customer_region,
          partner_transaction_id:
            body.partner_transaction_id === undefined
              ? pkg.data.partner_transaction_id
              : body.partner_transaction_id,
          quotes: pkg.data.quotes.map((q, i) => ({
            ...priced.quotes[i]!,
            id: q.id,
            createdAt: q.createdAt,
          })),
        };
        await save(deps, tenant, pkg);
        return { status: 200, body: await renderPackage(deps.repos, tenant, pkg) };
      }),
  );

  app.post(
    '/quotes/:id/add/',
    {
      schema: {
        summary: 'Add quotes to a package (XCover)',
        tags: ['xcover'],
        params: PackageParams,
        body: AddQuotesBody,
        response: { 201: QuotePackageResponse },
      },
    },
    async (request, reply) =>
      write(request, reply, async (deps) => {
        const tenant = request.tenant;
        await requireUnbooked(deps, tenant, request.params.id);
        const pkg = await loadPackage(deps.repos, tenant, request.params.id, { forUpdate: true });
        const market = await packageMarket(deps, tenant, pkg.data);
        const priced = await priceRequests(deps, tenant, market, request.body.request, {
          store: true,
          partial: true,
        });
        pkg.data = { ...pkg.data, quotes: [...pkg.data.quotes, ...priced.quotes] };
        await save(deps, tenant, pkg);
        return { status: 201, body: await renderPackage(deps.repos, tenant, pkg, priced.errors) };
      }),
  );

  app.post(
    '/quotes/:id/delete/',
    {
      schema: {
        summary: 'Delete quotes from a package (XCover)',
        tags: ['xcover'],
        params: PackageParams,
        body: Type.Object({ quotes: QuoteIdList }, { additionalProperties: false }),
        response: { 200: QuotePackageResponse },
      },
    },
    async (request, reply) =>
      write(request, reply, async (deps) => {
        const tenant = request.tenant;
        await requireUnbooked(deps, tenant, request.params.id);
        const pkg = await loadPackage(deps.repos, tenant, request.params.id, { forUpdate: true });
        const gone = new Set(
          request.body.quotes.map((q, i) => packageQuote(pkg.data, q.id, `quotes/${i}/id`).id),
        );
        pkg.data = { ...pkg.data, quotes: pkg.data.quotes.filter((q) => !gone.has(q.id)) };
        await save(deps, tenant, pkg);
        return { status: 200, body: await renderPackage(deps.repos, tenant, pkg) };
      }),
  );

  app.post(
    '/bookings/:id/opt_out',
    {
      schema: {
        summary: 'The customer declined the offer (XCover opt-out), for conversion reporting',
        tags: ['xcover'],
        params: PackageParams,
        body: NoBody,
        response: { 204: NoContent('the opt-out is recorded') },
      },
    },
    async (request, reply) =>
      write(request, reply, async (deps) => {
        const tenant = request.tenant;
        await requireUnbooked(deps, tenant, request.params.id);
        const pkg = await loadPackage(deps.repos, tenant, request.params.id, { forUpdate: true });
        for (const offerId of new Set(pkg.data.quotes.map((q) => q.offerId)))
          await declineOffer(deps, tenant, offerId);
        if (!pkg.data.opted_out_at) {
          pkg.data = { ...pkg.data, opted_out_at: deps.clock.now().toISOString() };
          await save(deps, tenant, pkg);
        }
        return { status: 204, body: null };
      }),
  );
}
