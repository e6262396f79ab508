import { Type } from 'typebox';
import { nearestTerm } from '../../../core/catalog/terms.js';
import { CoreError, invalid, notFound } from '../../../core/errors.js';
import { fromMajor } from '../../../core/money.js';
import { bindPolicy } from '../../../core/policies/bind-policy.js';
import { cancelPolicy } from '../../../core/policies/cancel-policy.js';
import { acceptPolicy } from '../../../core/policies/confirm-policy.js';
import type { Policyholder } from '../../../core/policies/policy.js';
import type { DialectRecord } from '../../../core/ports.js';
import type { App } from '../../context.js';
import {
  INSURANCE,
  type MarketContext,
  OBJECT,
  productByName,
  QUOTE_VALIDITY_MS,
  requireInsurance,
  requireRecord,
  USER,
} from './records.js';

import {
  HandleParams,
  type InsuranceBody,
  type InsuranceData,
  InsuranceBody as InsuranceSchema,
  insuranceJson,
  money,
  type ObjectBody,
  parseDateTime,
  type UserBody,
} from './wire.js';

/** Omocom Insurances: a quote for an object, accept, get, cancel. */
export async function insuranceRoutes(app: App, { caller, write, read }: MarketContext): Promise<void> {
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
        const brand = external.get('make');
        const model = external.get('model');
        const serial = external.get('imei') ?? external.get('serialnumber');
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
            termMonths: nearestTerm(product.terms, start.at, end?.at),
            country: c.market.country,
            item: {
              category: data.objectCategory,
              price: { amount, currency },
              ...(data.shortDescription ? { name: data.shortDescription } : {}),
              ...(brand ? { brand } : {}),
              ...(model ? { model } : {}),
              ...(serial ? { serial_number: serial } : {}),
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
