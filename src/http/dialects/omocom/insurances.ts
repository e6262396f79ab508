import { termForEnd } from '../../../core/catalog/terms.js';
import { CoreError, invalid, isCoreError, notFound } from '../../../core/errors.js';
import { cancelPolicy } from '../../../core/policies/cancel-policy.js';
import { acceptPolicy, quoteExpiresAt } from '../../../core/policies/confirm-policy.js';
import { requirePolicy } from '../../../core/policies/lookups.js';
import { quoteUnderAlias } from '../../../core/records/quote-under-alias.js';
import { requireOwner } from '../../../core/records/register-record.js';
import type { App } from '../../context.js';
import { inClientFields } from '../../kit/fields.js';
import {
  INSURANCE,
  type MarketContext,
  OBJECT,
  productByName,
  requireInsurance,
  requireRecord,
  USER,
} from './records.js';
import {
  AcceptBody,
  CancelBody,
  CancelledInsurance,
  HandleParams,
  Insurance,
  InsuranceBody,
} from './schemas.js';
import {
  coverDates,
  INSURANCE_FIELDS,
  type InsuranceData,
  insuranceJson,
  insuranceRefs,
  insuredItem,
  money,
  policyholder,
  purchasePrice,
  quoteFields,
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
        body: InsuranceBody,
        response: { 201: Insurance },
      },
    },
    async (request, reply) =>
      write(request, reply, async (deps, c) => {
        const b = request.body;
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
        const { start, end } = coverDates(b);
        const { price, index } = purchasePrice(b);
        const termMonths = termForEnd(product.terms, start.at, end?.at, 'insuranceEndDateTime');
        const data: InsuranceData = {
          objectHandle: object.handle,
          ownerHandle: owner.handle,
          product: b.product,
          offsetMinutes: start.offsetMinutes,
          properties: b.properties,
        };
        const quote = () =>
          quoteUnderAlias(deps, c.tenant, {
            kind: INSURANCE,
            alias: deps.ids.uuid().toLowerCase(),
            ref: owner.handle,
            data,
            bind: {
              source: {
                productCode: product.code,
                termMonths,
                country: c.market.country,
                item: insuredItem(object, price),
              },
              policyholder: policyholder(owner),
              refs: insuranceRefs(object, owner, b.properties),
              coverageStart: start.at,
            },
          });
        const { policy, record } = await inClientFields(quoteFields(index), quote);
        return { status: 201, body: insuranceJson(record, policy) };
      }),
  );

  app.get(
    '/Insurances/:handle',
    {
      schema: {
        summary: 'Get an insurance',
        tags: ['omocom'],
        params: HandleParams,
        response: { 200: Insurance },
      },
    },
    async (request) => {
      const { tenant } = caller(request);
      const { record, policyId } = await requireInsurance(read, tenant, request.params.handle);
      const policy = await read.policies.get(tenant, policyId);
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
        body: AcceptBody,
        response: { 200: Insurance },
      },
    },
    async (request, reply) =>
      write(request, reply, async (deps, c) => {
        const { record, policyId } = await requireInsurance(deps.repos, c.tenant, request.params.handle);
        const current = await requirePolicy(deps, c.tenant, policyId, true, 'InsuranceId');
        if (current.status === 'quoted') {
          // Bound only for whoever owns the object now: a device resold since the quote is the new owner's.
          const { objectHandle } = record.data as InsuranceData;
          const object = await requireRecord(deps.repos, c.tenant, OBJECT, objectHandle, 'InsuranceId');
          requireOwner(object, record.ref, 'InsuranceId', 'insurable object');
        }
        try {
          const policy = await inClientFields(INSURANCE_FIELDS, () => acceptPolicy(deps, c.tenant, policyId));
          return { status: 200, body: insuranceJson(record, policy) };
        } catch (error) {
          if (!isCoreError(error) || error.code !== 'offer_expired') throw error;
          const quoted = await requirePolicy(deps, c.tenant, policyId, false);
          throw new CoreError(
            'offer_expired',
            `the price quote expired at ${quoteExpiresAt(quoted).toISOString()} (24 hours after the insurance was created); create the insurance again for a new quote`,
            [{ field: 'InsuranceId', message: 'quote expired' }],
          );
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
        body: CancelBody,
        response: { 200: CancelledInsurance },
      },
    },
    async (request, reply) =>
      write(request, reply, async (deps, c) => {
        const { record, policyId } = await requireInsurance(deps.repos, c.tenant, request.params.handle);
        const reason = request.body?.reason;
        const result = await inClientFields(INSURANCE_FIELDS, () =>
          cancelPolicy(deps, c.tenant, { policyId, ...(reason ? { reason } : {}) }),
        );
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
