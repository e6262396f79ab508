import formbody from '@fastify/formbody';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { productName } from '../../../core/catalog/product.js';
import { CoreError, invalid, notFound } from '../../../core/errors.js';
import { fromMajor } from '../../../core/money.js';
import { type Market, marketFor, type Partner, type Tenant } from '../../../core/partners/partner.js';
import { bindPolicy } from '../../../core/policies/bind-policy.js';
import { cancelPolicy } from '../../../core/policies/cancel-policy.js';
import { acceptPolicy } from '../../../core/policies/confirm-policy.js';
import type { Policyholder } from '../../../core/policies/policy.js';
import type { CoreDeps, DialectRecord, Repositories } from '../../../core/ports.js';
import type { App } from '../../context.js';
import { type Answer, mutate } from '../../idempotency.js';
import { issueToken, type TokenRequest, verifyToken } from './auth.js';
import { errorBody, omocomErrorHandler, omocomForbidden, renderCoreError } from './errors.js';
import {
  FindQuery,
  HandleParams,
  type InsuranceBody,
  type InsuranceData,
  InsuranceBody as InsuranceSchema,
  insuranceJson,
  MarketParams,
  money,
  normalizeKeys,
  type ObjectBody,
  ObjectBody as ObjectSchema,
  objectJson,
  parseDateTime,
  type UserBody,
  UserBody as UserSchema,
  userJson,
} from './wire.js';

const USER = 'omocom_user';
const OBJECT = 'omocom_object';
const INSURANCE = 'omocom_insurance';
/** A quote may be accepted for this long after the insurance was created. */
const QUOTE_VALIDITY_MS = 24 * 3_600_000;

interface Caller {
  tenant: Tenant;
  partner: Partner;
  market: Market;
}

/**
 * The Omocom web-shop API (integration guide v1.3) under /omocom: OAuth2 client credentials, Users,
 * InsurableObjects and Insurances, mapped onto the core's policies.
 */
export async function omocomApi(app: App): Promise<void> {
  await app.register(formbody);
  app.setErrorHandler(omocomErrorHandler);
  app.setNotFoundHandler((request, reply) =>
    reply
      .code(404)
      .send(errorBody('route_not_found', `no route ${request.method} ${request.url.split('?')[0]}`)),
  );
  // The guide mixes `MarketName` and `objectId`: any casing of a known field name is accepted.
  app.addHook('preValidation', async (request) => {
    request.body = normalizeKeys(request.body);
    request.query = normalizeKeys(request.query);
  });

  app.post(
    '/oauth2/token',
    { schema: { summary: 'OAuth2 client credentials token', tags: ['omocom'] } },
    async (request) => {
      const body = (request.body ?? {}) as Record<string, unknown>;
      const form: TokenRequest = {};
      for (const name of ['grant_type', 'client_id', 'client_secret', 'scope'] as const) {
        const value = body[name];
        if (value === undefined) continue;
        if (typeof value !== 'string') throw invalid(name, 'must be a string');
        form[name] = value;
      }
      return issueToken(app.protego, request, form);
    },
  );

  await app.register(async (scoped) => marketRoutes(scoped as App), { prefix: '/v1.3/:platform/:market' });
}

async function marketRoutes(app: App): Promise<void> {
  const callers = new WeakMap<FastifyRequest, Caller>();
  const caller = (request: FastifyRequest): Caller => callers.get(request)!;
  app.addHook('onRequest', async (request) => {
    const tenant = await verifyToken(app.protego, request);
    const params = request.params as { platform?: string; market?: string };
    const partner = await app.protego.store.read.partners.getByCode((params.platform ?? '').toLowerCase());
    if (!partner) throw notFound(`platform ${params.platform}`, 'platform');
    if (partner.id !== tenant.partnerId) {
      throw omocomForbidden(`this access token is not for platform ${params.platform}`, 'platform');
    }
    const market = marketFor(partner, params.market ?? '');
    if (!market) throw notFound(`market ${params.market} of platform ${partner.code}`, 'market');
    request.tenant = tenant;
    callers.set(request, { tenant, partner, market });
  });

  const write = (
    request: FastifyRequest,
    reply: FastifyReply,
    work: (deps: CoreDeps, c: Caller) => Promise<Answer>,
  ) =>
    mutate(
      app.protego,
      request,
      reply,
      { scope: caller(request).tenant, renderError: renderCoreError },
      (deps) => work(deps, caller(request)),
    );
  const read = app.protego.store.read;

  // Users ------------------------------------------------------------------------------------------

  app.post(
    '/Users',
    {
      schema: {
        summary: 'Create a user (returns the existing one for a known UserId)',
        tags: ['omocom'],
        params: MarketParams,
        body: UserSchema,
      },
    },
    async (request, reply) =>
      write(request, reply, async (deps, c) => {
        const b = request.body as UserBody;
        if (b.MarketName && b.MarketName.toUpperCase() !== c.market.country) {
          throw invalid('MarketName', `must be the market of the URL, ${c.market.country}`);
        }
        const existing = await deps.repos.dialectRecords.byKey(c.tenant, USER, b.UserId);
        if (existing) return { status: 200, body: userJson(existing) };
        const { SocialSecurityNumber: ssn, ...fields } = b;
        const record: DialectRecord = {
          kind: USER,
          handle: deps.ids.uuid().toLowerCase(),
          key: b.UserId,
          ref: null,
          email: b.EmailAddress ?? null,
          data: {
            ...fields,
            MarketName: b.MarketName ?? c.market.country,
            ...(ssn?.Country ? { ssnCountry: ssn.Country } : {}),
          },
          personalId: ssn?.SSN ?? null,
          createdAt: deps.clock.now(),
        };
        if (!(await deps.repos.dialectRecords.insert(c.tenant, record))) {
          throw new CoreError('already_exists', `user ${b.UserId} was created at the same time`, [
            { field: 'UserId', message: 'retry: it exists now' },
          ]);
        }
        return { status: 201, body: userJson(record) };
      }),
  );

  app.get(
    '/Users/find',
    {
      schema: {
        summary: 'Find a user by UserId, EmailAddress or SocialSecurityNumber',
        description:
          'Give one or more of the parameters; every one given must match. Answers the oldest matching user, or 404.',
        tags: ['omocom'],
        params: MarketParams,
        querystring: FindQuery,
      },
    },
    async (request) => {
      const q = request.query as { UserId?: string; EmailAddress?: string; SocialSecurityNumber?: string };
      const { tenant } = caller(request);
      if (!q.UserId && !q.EmailAddress && !q.SocialSecurityNumber) {
        throw invalid('UserId', 'give UserId, EmailAddress or SocialSecurityNumber');
      }
      let found: DialectRecord[];
      if (q.UserId) {
        const user = await read.dialectRecords.byKey(tenant, USER, q.UserId);
        found = user ? [user] : [];
        if (q.EmailAddress)
          found = found.filter((u) => u.email?.toLowerCase() === q.EmailAddress!.toLowerCase());
        if (q.SocialSecurityNumber) {
          const same = await read.dialectRecords.find(tenant, USER, { personalId: q.SocialSecurityNumber });
          found = found.filter((u) => same.some((s) => s.handle === u.handle));
        }
      } else {
        found = await read.dialectRecords.find(tenant, USER, {
          ...(q.EmailAddress ? { email: q.EmailAddress } : {}),
          ...(q.SocialSecurityNumber ? { personalId: q.SocialSecurityNumber } : {}),
        });
      }
      if (!found[0]) throw notFound('user');
      return userJson(found[0]);
    },
  );

  app.get(
    '/Users/:handle',
    { schema: { summary: 'Get a user', tags: ['omocom'], params: HandleParams } },
    async (request) =>
      userJson(await requireRecord(read, caller(request).tenant, USER, request.params.handle, 'UserHandle')),
  );

  app.get(
    '/Users/:handle/Insurances',
    { schema: { summary: "A user's insurances, oldest first", tags: ['omocom'], params: HandleParams } },
    async (request) => {
      const { tenant } = caller(request);
      const user = await requireRecord(read, tenant, USER, request.params.handle, 'UserHandle');
      const records = await read.dialectRecords.find(tenant, INSURANCE, { ref: user.handle });
      const out = [];
      for (const record of records) {
        const policy = record.key ? await read.policies.get(tenant, record.key) : undefined;
        if (policy) out.push(insuranceJson(record, policy));
      }
      return out;
    },
  );

  // Insurable objects ------------------------------------------------------------------------------

  app.post(
    '/InsurableObjects',
    {
      schema: {
        summary: 'Create an insurable object (an objectId seen before returns that object)',
        description: 'An empty or missing objectId gets a generated one (the object handle).',
        tags: ['omocom'],
        params: MarketParams,
        body: ObjectSchema,
      },
    },
    async (request, reply) =>
      write(request, reply, async (deps, c) => {
        const b = request.body as ObjectBody;
        const owner = await deps.repos.dialectRecords.get(c.tenant, USER, b.ownerHandle.toLowerCase());
        if (!owner) throw notFound(`user ${b.ownerHandle}`, 'ownerHandle');
        const objectId = b.objectId?.trim();
        if (objectId) {
          const existing = await deps.repos.dialectRecords.byKey(c.tenant, OBJECT, objectId);
          if (existing) return { status: 200, body: objectJson(existing) };
        }
        const handle = deps.ids.uuid().toLowerCase();
        const record: DialectRecord = {
          kind: OBJECT,
          handle,
          key: objectId || handle,
          ref: owner.handle,
          email: null,
          data: { ...b, objectId: objectId || handle, ownerHandle: owner.handle },
          personalId: null,
          createdAt: deps.clock.now(),
        };
        if (!(await deps.repos.dialectRecords.insert(c.tenant, record))) {
          throw new CoreError('already_exists', `object ${objectId} was created at the same time`, [
            { field: 'objectId', message: 'retry: it exists now' },
          ]);
        }
        return { status: 201, body: objectJson(record) };
      }),
  );

  app.get(
    '/InsurableObjects/:handle',
    { schema: { summary: 'Get an insurable object', tags: ['omocom'], params: HandleParams } },
    async (request) =>
      objectJson(
        await requireRecord(read, caller(request).tenant, OBJECT, request.params.handle, 'ObjectHandle'),
      ),
  );

  // Insurances -------------------------------------------------------------------------------------

  app.post(
    '/Insurances/:handle',
    {
      schema: {
        summary: 'Create an insurance for an object: a price quote to accept within 24 hours',
        tags: ['omocom'],
        params: HandleParams,
        body: InsuranceSchema,
      },
    },
    async (request, reply) =>
      write(request, reply, async (deps, c) => {
        const b = request.body as InsuranceBody;
        const object = await requireRecord(
          deps.repos,
          c.tenant,
          OBJECT,
          request.params.handle,
          'ObjectHandle',
        );
        if (b.counterpartHandle.toLowerCase() !== c.partner.counterpartHandle.toLowerCase()) {
          throw invalid('counterpartHandle', "is not this platform's counterpart handle");
        }
        const owner = await requireRecord(deps.repos, c.tenant, USER, object.ref ?? '', 'ownerHandle');
        const product = await productByName(deps, c, b.product);
        const start = parseDateTime(b.insuranceStartDateTime);
        if (!start) throw invalid('insuranceStartDateTime', 'must be an ISO 8601 date and time');
        const end = b.insuranceEndDateTime ? parseDateTime(b.insuranceEndDateTime) : undefined;
        if (b.insuranceEndDateTime && !end)
          throw invalid('insuranceEndDateTime', 'must be an ISO 8601 date and time');
        if (end && end.at.getTime() <= start.at.getTime()) {
          throw invalid('insuranceEndDateTime', 'must be after insuranceStartDateTime');
        }
        const priceIndex = b.properties.findIndex((p) => p.name.toLowerCase() === 'purchaseprice');
        const price = b.properties[priceIndex]?.monetaryValue;
        if (!price) throw invalid('properties', 'a PurchasePrice property with a monetaryValue is required');
        const currency = price.currency.toUpperCase();
        const amount = fromMajor(price.amount, currency);
        if (amount === undefined) {
          throw invalid(`properties/${priceIndex}/monetaryValue/amount`, `not a valid amount of ${currency}`);
        }
        const refs: Record<string, string> = { object_id: String(object.key), user_id: String(owner.key) };
        for (const p of b.properties) {
          if (typeof p.value !== 'string') continue;
          if (p.name.toLowerCase() === 'receiptnumber') refs.receipt = p.value;
          else refs[`omocom_${p.name}`] = p.value;
        }
        const data = object.data as ObjectBody & Record<string, unknown>;
        const external = new Map((data.ExternalProperties ?? []).map((p) => [p.name.toLowerCase(), p.value]));
        const holder = owner.data as UserBody;
        const policyholder: Policyholder = {
          first_name: holder.FirstName,
          last_name: holder.LastName,
          external_id: holder.UserId,
          ...(holder.EmailAddress ? { email: holder.EmailAddress } : {}),
          ...(holder.PhoneNumber ? { phone: holder.PhoneNumber } : {}),
          ...(owner.personalId ? { personal_id: owner.personalId } : {}),
          ...(holder.Culture ? { language: holder.Culture.slice(0, 2).toLowerCase() } : {}),
          ...(holder.StreetAddress || holder.ZipCode
            ? {
                address: {
                  ...(holder.StreetAddress ? { line1: holder.StreetAddress } : {}),
                  ...(holder.ZipCode ? { postal_code: holder.ZipCode } : {}),
                  ...(holder.City ? { city: holder.City } : {}),
                  ...(holder.CountryCode ? { country: holder.CountryCode } : {}),
                },
              }
            : {}),
        };
        const policy = await bindPolicy(deps, c.tenant, {
          source: {
            productCode: product.code,
            termMonths: termFor(product.terms, start.at, end?.at),
            country: c.market.country,
            item: {
              category: data.objectCategory,
              price: { amount, currency },
              ...(data.shortDescription ? { name: data.shortDescription } : {}),
              ...(external.get('make') ? { brand: external.get('make')! } : {}),
              ...(external.get('model') ? { model: external.get('model')! } : {}),
              ...((external.get('imei') ?? external.get('serialnumber'))
                ? { serial_number: (external.get('imei') ?? external.get('serialnumber'))! }
                : {}),
            },
          },
          policyholder,
          refs,
          coverageStart: start.at,
          quoteOnly: true,
        });
        const insuranceId = deps.ids.uuid().toLowerCase();
        await deps.repos.aliases.add(c.tenant, {
          kind: INSURANCE,
          alias: insuranceId,
          targetId: policy.id,
          createdAt: policy.createdAt,
        });
        const insuranceData: InsuranceData = {
          objectHandle: object.handle,
          ownerHandle: owner.handle,
          product: b.product,
          offsetMinutes: start.offsetMinutes,
          quoteExpiresAt: new Date(policy.createdAt.getTime() + QUOTE_VALIDITY_MS).toISOString(),
          properties: b.properties,
        };
        const record: DialectRecord = {
          kind: INSURANCE,
          handle: insuranceId,
          key: policy.id,
          ref: owner.handle,
          email: null,
          data: insuranceData as unknown as Record<string, unknown>,
          personalId: null,
          createdAt: policy.createdAt,
        };
        await deps.repos.dialectRecords.insert(c.tenant, record);
        return { status: 201, body: insuranceJson(record, policy) };
      }),
  );

  app.get(
    '/Insurances/:handle',
    { schema: { summary: 'Get an insurance', tags: ['omocom'], params: HandleParams } },
    async (request) => {
      const { record, policyId } = await requireInsurance(
        read,
        caller(request).tenant,
        request.params.handle,
      );
      const policy = await read.policies.get(caller(request).tenant, policyId);
      if (!policy) throw notFound(`insurance ${request.params.handle}`, 'InsuranceId');
      return insuranceJson(record, policy);
    },
  );

  app.post(
    '/Insurances/:handle/accept',
    {
      schema: {
        summary: 'Accept the quote: the insurance is bound (body `[]`); repeating it changes nothing',
        tags: ['omocom'],
        params: HandleParams,
        body: Type.Optional(Type.Array(Type.Unknown(), { maxItems: 100 })),
      },
    },
    async (request, reply) =>
      write(request, reply, async (deps, c) => {
        const { record, policyId } = await requireInsurance(deps.repos, c.tenant, request.params.handle);
        const expiresAt = new Date((record.data as unknown as InsuranceData).quoteExpiresAt);
        try {
          const policy = await acceptPolicy(deps, c.tenant, policyId, { quoteExpiresAt: expiresAt });
          return { status: 200, body: insuranceJson(record, policy) };
        } catch (error) {
          if (error instanceof CoreError && error.code === 'offer_expired') {
            throw new CoreError(
              'offer_expired',
              `the price quote expired at ${expiresAt.toISOString()} (24 hours after the insurance was created); create the insurance again for a new quote`,
              [{ field: 'InsuranceId', message: 'quote expired' }],
            );
          }
          throw error;
        }
      }),
  );

  app.post(
    '/Insurances/:handle/cancel',
    {
      schema: {
        summary: 'Cancel an insurance, with the refund the product gives',
        tags: ['omocom'],
        params: HandleParams,
        body: Type.Optional(Type.Object({ reason: Type.Optional(Type.String({ maxLength: 500 })) })),
      },
    },
    async (request, reply) =>
      write(request, reply, async (deps, c) => {
        const { record, policyId } = await requireInsurance(deps.repos, c.tenant, request.params.handle);
        const reason = (request.body as { reason?: string } | undefined)?.reason;
        const result = await cancelPolicy(deps, c.tenant, {
          policyId,
          ...(reason ? { reason } : {}),
        });
        return {
          status: 200,
          body: {
            ...insuranceJson(record, result.policy),
            refund: money(result.quote.refund),
            refundRule: result.quote.rule,
          },
        };
      }),
  );
}

async function requireRecord(
  repos: Repositories,
  tenant: Tenant,
  kind: string,
  handle: string,
  field: string,
): Promise<DialectRecord> {
  const record = await repos.dialectRecords.get(tenant, kind, handle.toLowerCase());
  const what = kind === USER ? 'user' : kind === OBJECT ? 'insurable object' : 'insurance';
  if (!record) throw notFound(`${what} ${handle}`, field);
  return record;
}

async function requireInsurance(
  repos: Repositories,
  tenant: Tenant,
  handle: string,
): Promise<{ record: DialectRecord; policyId: string }> {
  const policyId = await repos.aliases.resolve(tenant, INSURANCE, handle.toLowerCase());
  const record = policyId
    ? await repos.dialectRecords.get(tenant, INSURANCE, handle.toLowerCase())
    : undefined;
  if (!policyId || !record) throw notFound(`insurance ${handle}`, 'InsuranceId');
  return { record, policyId };
}

/** The partner's product of that name, in the market's language or in English. */
async function productByName(deps: CoreDeps, c: Caller, name: string) {
  const wanted = name.trim().toLowerCase();
  const names: string[] = [];
  for (const { product } of await deps.repos.products.listEnabled(c.tenant.partnerId)) {
    const candidates = [product.name[c.market.language], product.name.en, product.code].filter(Boolean);
    if (candidates.some((n) => n!.trim().toLowerCase() === wanted)) return product;
    names.push(productName(product, c.market.language));
  }
  throw new CoreError('product_not_enabled', `no product named "${name}" is sold by this platform`, [
    { field: 'product', message: `one of: ${names.join(', ')}` },
  ]);
}

/** The product's term nearest to what the client asked (its first term when no end was sent). */
function termFor(terms: number[], start: Date, end: Date | undefined): number {
  if (!end) return terms[0]!;
  const months = (end.getTime() - start.getTime()) / (30.4375 * 86_400_000);
  return terms.reduce((best, t) => (Math.abs(t - months) < Math.abs(best - months) ? t : best), terms[0]!);
}
