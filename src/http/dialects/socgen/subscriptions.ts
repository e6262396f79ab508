import { CoreError, invalid, notFound } from '../../../core/errors.js';
import type { Partner, Tenant } from '../../../core/partners/partner.js';
import { bindPolicy } from '../../../core/policies/bind-policy.js';
import { cancelPolicy } from '../../../core/policies/cancel-policy.js';
import type { Policy } from '../../../core/policies/policy.js';
import { searchPolicies } from '../../../core/policies/search-policies.js';
import type { CoreDeps, DialectRecord, Repositories } from '../../../core/ports.js';
import { keepUnderAlias } from '../../../core/records/keep-record.js';
import { requireSolution } from '../../../core/solutions/manage-solutions.js';
import type { App } from '../../context.js';
import type { Kit } from '../../kit/api.js';
import { QUOTE, type QuoteData } from './quotations.js';
import {
  Cancelled,
  CancelRequest,
  CreateInsuranceSubscriptionRequest,
  CreateInsuranceSubscriptionResponse,
  InsuranceSubscriptionResponse,
  ListQuery,
  PaginationInsuranceSubscriptionsResponse,
  SubscriptionParams,
  type SubscriptionRequest,
} from './schemas.js';
import { consolidatedStatus, duration, major, minor, policyholder } from './wire.js';

const SUBSCRIPTION = 'socgen_subscription';

/** What a subscription keeps as it was sent, beside its policy: a `GET` answers exactly this. */
interface SubscriptionData {
  solutionCode: string;
  merchantBasketId: string;
  merchantBuyerId: string;
  buyer: SubscriptionRequest['buyer'];
  insuredItem: SubscriptionRequest['insuredItem'];
}

const DAY_MS = 86_400_000;

/** The subscription of an id, with what it keeps; not found for another tenant's. */
async function requireSubscription(
  repos: Repositories,
  tenant: Tenant,
  id: string,
): Promise<{ policyId: string; record: DialectRecord }> {
  const handle = id.toLowerCase();
  const policyId = await repos.aliases.resolve(tenant, SUBSCRIPTION, handle);
  const record = policyId && (await repos.dialectRecords.get(tenant, SUBSCRIPTION, handle));
  if (!policyId || !record) throw notFound(`insurance subscription ${id}`, 'insuranceSubscriptionId');
  return { policyId, record };
}

function summaryJson(policy: Policy, id: string, data: SubscriptionData) {
  return {
    insuranceSubscriptionId: id,
    registrationTimestamp: policy.createdAt.toISOString(),
    lastUpdateTimestamp: policy.updatedAt.toISOString(),
    solutionCode: data.solutionCode,
    marketTypeCode: policy.country,
    duration: duration(policy.termMonths, policy.language),
    merchantBasketId: data.merchantBasketId,
    consolidatedStatus: consolidatedStatus(policy),
    producerQuoteInsurancePrice: major({ amount: policy.premium.total, currency: policy.premium.currency }),
  };
}

function subscriptionJson(policy: Policy, record: DialectRecord, partner: Partner) {
  const data = record.data as unknown as SubscriptionData;
  // The partner's technical id (a UUID made with it) stands for both of 1.1.0's account ids.
  const account = partner.counterpartHandle.toLowerCase();
  return {
    ...summaryJson(policy, record.handle, data),
    clientId: account,
    thirdPartyReferenceId: account,
    familyCode: 'CI',
    merchantBuyerId: data.merchantBuyerId,
    buyer: data.buyer,
    insuredItem: data.insuredItem,
  };
}

async function requirePartnerOf(deps: { repos: Repositories }, tenant: Tenant): Promise<Partner> {
  const partner = await deps.repos.partners.getById(tenant.partnerId);
  if (!partner) throw notFound('partner');
  return partner;
}

/** A quote's offer, checked against what the subscription says of it; the price is checked by binding. */
async function requireQuote(deps: CoreDeps, tenant: Tenant, quoteId: string) {
  const handle = quoteId.toLowerCase();
  const offerId = await deps.repos.aliases.resolve(tenant, QUOTE, handle);
  const record = offerId && (await deps.repos.dialectRecords.get(tenant, QUOTE, handle));
  const offer = offerId && record && (await deps.repos.offers.get(tenant, offerId));
  if (!offer || !record) throw notFound(`quote ${quoteId}`, 'quoteId');
  return { offer, quote: record.data as unknown as QuoteData };
}

/** Subscriptions: subscribe a quote, list, get, cancel. */
export async function subscriptionRoutes(app: App, kit: Kit): Promise<void> {
  app.post(
    '/subscriptions',
    {
      schema: {
        summary: 'Subscribe a quotation for a buyer',
        description:
          'Binds the quote at the price it was quoted (producerQuoteInsurancePrice must be it, and ' +
          'insuredItem.insurancePrice the item price quoted, in the market currency). producerQuoteExpirationDate ' +
          "is the quote's expiration date (UTC, a day either side for the client's time zone). A quote " +
          'is subscribed once; an expired or unknown one is refused. buyer and insuredItem are kept as ' +
          'sent.',
        tags: ['socgen'],
        body: CreateInsuranceSubscriptionRequest,
        response: { 201: CreateInsuranceSubscriptionResponse },
      },
    },
    async (request, reply) =>
      kit.write(request, reply, async (deps) => {
        const b = request.body;
        const tenant = request.tenant;
        const s = await requireSolution(deps, tenant, b.solutionCode, 'solutionCode');
        const { offer, quote } = await requireQuote(deps, tenant, b.quoteId);
        if (quote.solutionCode !== s.solution.code) {
          throw invalid('solutionCode', `quote ${b.quoteId} is for solution ${quote.solutionCode}`);
        }
        if (quote.insuranceId !== b.insuranceId) {
          throw invalid('insuranceId', `quote ${b.quoteId} is for insurance ${quote.insuranceId}`);
        }
        const expires = offer.expiresAt.getTime();
        const said = Date.parse(`${b.producerQuoteExpirationDate}T00:00:00Z`);
        if (Math.abs(said - Date.UTC(...utcDate(offer.expiresAt))) > DAY_MS) {
          throw invalid(
            'producerQuoteExpirationDate',
            `the quote expires on ${offer.expiresAt.toISOString().slice(0, 10)} (${new Date(expires).toISOString()})`,
          );
        }
        const currency = s.market.currency;
        if (b.insuredItem.currencyCode.toUpperCase() !== currency) {
          throw invalid('insuredItem.currencyCode', `prices in ${s.market.country} are in ${currency}`);
        }
        // 1.1.0's insuredItem.insurancePrice is the item's price the insurance was quoted for (the
        // guide's 100.25 of its quotation); insuredItem.price is the item's price in the basket.
        minor(b.insuredItem.price, currency, 'insuredItem.price');
        const expectedItemPrice = {
          amount: minor(b.insuredItem.insurancePrice, currency, 'insuredItem.insurancePrice'),
          currency,
        };
        const expectedPremium = {
          amount: minor(b.producerQuoteInsurancePrice, currency, 'producerQuoteInsurancePrice'),
          currency,
        };
        const subscriptionId = deps.ids.uuid().toLowerCase();
        const policy = await bindPolicy(deps, tenant, {
          source: { offerId: offer.id, optionId: quote.optionId },
          policyholder: policyholder(b.buyer, b.merchantBuyerId, s.market.language),
          refs: {
            basketId: b.merchantBasketId,
            orderId: b.insuredItem.orderId,
            subscriptionId,
            solutionCode: s.solution.code,
          },
          expectedPremium,
          expectedItemPrice,
        });
        const data: SubscriptionData = {
          solutionCode: s.solution.code,
          merchantBasketId: b.merchantBasketId,
          merchantBuyerId: b.merchantBuyerId,
          buyer: b.buyer,
          insuredItem: b.insuredItem,
        };
        await keepUnderAlias(deps, tenant, {
          kind: SUBSCRIPTION,
          alias: subscriptionId,
          targetId: policy.id,
          ref: b.merchantBasketId,
          data: { ...data, quoteId: b.quoteId, producerQuoteExpirationDate: b.producerQuoteExpirationDate },
        });
        return {
          status: 201,
          body: { insuranceSubscriptionId: subscriptionId, consolidatedStatus: consolidatedStatus(policy) },
        };
      }),
  );

  app.get(
    '/subscriptions',
    {
      schema: {
        summary: 'List subscriptions, newest first, by basket, order id of the insured item or solution',
        tags: ['socgen'],
        querystring: ListQuery,
        response: { 200: PaginationInsuranceSubscriptionsResponse },
      },
    },
    async (request) => {
      const q = request.query;
      const solution = q.solutionCode
        ? (await requireSolution(kit.read, request.tenant, q.solutionCode, 'solutionCode')).solution
        : undefined;
      const { total, found } = await searchPolicies(kit.read, request.tenant, {
        aliasKind: SUBSCRIPTION,
        ...(q.merchantBasketId !== undefined ? { basketId: q.merchantBasketId } : {}),
        ...(q.merchantGlobalOrderId !== undefined ? { orderId: q.merchantGlobalOrderId } : {}),
        ...(solution ? { productCode: solution.productCode, country: solution.country } : {}),
        page: q.page,
        pageSize: q.pageSize,
      });
      return {
        totalItemCount: total,
        subscriptions: found.map(({ policy, alias, data }) => {
          const d = data as unknown as SubscriptionData;
          return {
            ...summaryJson(policy, alias, d),
            insuredItemPrice: d.insuredItem.price,
            insuredItemCategory: d.insuredItem.category,
          };
        }),
      };
    },
  );

  app.get(
    '/subscriptions/:insuranceSubscriptionId',
    {
      schema: {
        summary: 'Get a subscription: buyer and insured item exactly as subscribed',
        tags: ['socgen'],
        params: SubscriptionParams,
        response: { 200: InsuranceSubscriptionResponse },
      },
    },
    async (request) => {
      const { policyId, record } = await requireSubscription(
        kit.read.repos,
        request.tenant,
        request.params.insuranceSubscriptionId,
      );
      const policy = await kit.read.repos.policies.get(request.tenant, policyId);
      if (!policy) throw notFound('insurance subscription', 'insuranceSubscriptionId');
      return subscriptionJson(policy, record, await requirePartnerOf(kit.read, request.tenant));
    },
  );

  app.post(
    '/subscriptions/:insuranceSubscriptionId/_cancel',
    {
      schema: {
        summary: 'Cancel a subscription (1.7.1), with the refund the product gives; a second cancel is a 400',
        tags: ['socgen'],
        params: SubscriptionParams,
        body: CancelRequest,
        response: { 204: Cancelled },
      },
      // 1.7.1 says a body is required; clients that send none (or an empty JSON one) mean `{}`.
      preValidation: async (request) => {
        if (request.body === null) request.body = {};
      },
    },
    async (request, reply) =>
      kit.write(request, reply, async (deps) => {
        const { policyId } = await requireSubscription(
          deps.repos,
          request.tenant,
          request.params.insuranceSubscriptionId,
        );
        const origin = request.body.origin;
        try {
          await cancelPolicy(deps, request.tenant, { policyId, reason: origin ?? 'requested' });
        } catch (error) {
          if (error instanceof CoreError && error.code === 'invalid_transition') {
            throw new CoreError('invalid_transition', error.message, [
              { field: 'insuranceSubscriptionId', message: error.message },
            ]);
          }
          throw error;
        }
        return { status: 204, body: null };
      }),
  );
}

function utcDate(at: Date): [number, number, number] {
  return [at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()];
}
