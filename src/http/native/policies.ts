import { CoreError, notFound } from '../../core/errors.js';
import { type BindSource, bindPolicy } from '../../core/policies/bind-policy.js';
import { cancelPolicy } from '../../core/policies/cancel-policy.js';
import { confirmCancellation, previewCancellation } from '../../core/policies/cancellation-change.js';
import type { Policy } from '../../core/policies/policy.js';
import type { RefundQuote } from '../../core/policies/refund.js';
import { type App, readDeps } from '../context.js';
import type { Kit } from '../kit/api.js';
import { inClientFields } from '../kit/fields.js';
import { decodeCursor, listPage, toDate, toItem, toPolicyholder } from './input.js';
import {
  CancellationParams,
  CancellationSchema,
  CancelPolicyBody,
  CreatePolicyBody,
  HistorySchema,
  IdParams,
  ListPoliciesQuery,
  PolicyListSchema,
  PolicySchema,
} from './schemas.js';
import { historyEventJson, policyJson, refundJson, toRefs } from './wire.js';

export async function policyRoutes(app: App, kit: Kit): Promise<void> {
  app.post(
    '/policies',
    {
      schema: {
        summary: 'Bind a policy',
        description:
          'From an offer option (`offer_id` + `option_id`), or straight from a product (`product_code`, `term_months`, `country`, `item`). One policy covers one unit of the item.',
        tags: ['policies'],
        body: CreatePolicyBody,
        response: { 201: PolicySchema },
      },
    },
    async (request, reply) =>
      kit.write(request, reply, async (deps) => {
        const b = request.body;
        const policy = await bindPolicy(deps, request.tenant, {
          source: bindSource(b),
          policyholder: toPolicyholder(b.policyholder),
          refs: toRefs(b.refs),
          ...(b.coverage_start ? { coverageStart: new Date(b.coverage_start) } : {}),
          paymentPending: b.payment_pending ?? false,
        });
        return { status: 201, body: policyJson(policy) };
      }),
  );

  app.get(
    '/policies',
    {
      schema: {
        summary: 'List policies, newest first',
        description:
          'Filter by order, policyholder e-mail, status and creation time; follow `next_cursor` for the next page.',
        tags: ['policies'],
        querystring: ListPoliciesQuery,
        response: { 200: PolicyListSchema },
      },
    },
    async (request) => {
      const q = request.query;
      const policies = await app.protego.db.read.policies.list(request.tenant, {
        limit: q.limit + 1,
        ...(q.order_id ? { orderId: q.order_id } : {}),
        ...(q.holder_email ? { holderEmail: q.holder_email } : {}),
        ...(q.status ? { status: q.status } : {}),
        ...(q.created_from ? { createdFrom: toDate(q.created_from) } : {}),
        ...(q.created_to ? { createdTo: toDate(q.created_to) } : {}),
        ...(q.cursor ? { before: decodeCursor(q.cursor, 'pol') } : {}),
      });
      return listPage(policies, q.limit, policyJson);
    },
  );

  app.get(
    '/policies/:id',
    {
      schema: {
        summary: 'Get a policy',
        tags: ['policies'],
        params: IdParams,
        response: { 200: PolicySchema },
      },
    },
    async (request) => {
      const policy = await app.protego.db.read.policies.get(request.tenant, request.params.id);
      if (!policy) throw notFound('policy', 'id');
      return policyJson(policy);
    },
  );

  app.get(
    '/policies/:id/events',
    {
      schema: {
        summary: "A policy's history",
        description: 'Every change of the policy, oldest first. Events are never rewritten.',
        tags: ['policies'],
        params: IdParams,
        response: { 200: HistorySchema },
      },
    },
    async (request) => {
      const deps = readDeps(app.protego);
      const policy = await deps.repos.policies.get(request.tenant, request.params.id);
      if (!policy) throw notFound('policy', 'id');
      const events = await deps.repos.policies.history(request.tenant, policy.id);
      return {
        object: 'list' as const,
        data: events.map(historyEventJson),
      };
    },
  );

  app.post(
    '/policies/:id/cancel',
    {
      schema: {
        summary: 'Cancel a policy, or preview the refund',
        description:
          'With `preview: true` the refund is computed and nothing changes. The refund is everything inside the cooling-off window or before cover starts, pro rata by unused days after (as the product says), nothing once a claim was paid. A policy not yet paid for is voided.',
        tags: ['policies'],
        params: IdParams,
        body: CancelPolicyBody,
        response: { 200: CancellationSchema },
      },
    },
    async (request, reply) =>
      kit.write(request, reply, async (deps) => {
        const { preview = false, reason } = request.body;
        const result = await cancelPolicy(deps, request.tenant, {
          policyId: request.params.id,
          preview,
          ...(reason ? { reason } : {}),
        });
        // A preview is held: the refund it shows can be confirmed until it expires.
        const held = preview
          ? await previewCancellation(deps, request.tenant, {
              policyIds: [request.params.id],
              ...(reason ? { reason } : {}),
            })
          : undefined;
        return {
          status: 200,
          body: {
            ...cancellationJson(result.preview, result.outcome, result.quote, result.policy),
            cancellation_id: held?.groupId ?? null,
            expires_at: held?.expiresAt.toISOString() ?? null,
          },
        };
      }),
  );

  app.post(
    '/policies/:id/cancellations/:cancellation_id/confirm',
    {
      schema: {
        summary: 'Confirm a previewed cancellation at the refund it showed',
        description:
          'The `cancellation_id` of a `preview: true` answer, before its `expires_at`. Confirming again answers the same; a policy changed since the preview (a payment, a paid claim) must be previewed again.',
        tags: ['policies'],
        params: CancellationParams,
        response: { 200: CancellationSchema },
      },
    },
    async (request, reply) =>
      kit.write(request, reply, async (deps) => {
        const { id, cancellation_id } = request.params;
        const confirmed = await inClientFields({ changeId: 'cancellation_id' }, () =>
          confirmCancellation(deps, request.tenant, cancellation_id, { within: [id] }),
        );
        const { policy, quote } = confirmed.cancelled[0]!;
        return {
          status: 200,
          body: {
            ...cancellationJson(false, policy.status === 'voided' ? 'voided' : 'cancelled', quote, policy),
            cancellation_id,
            expires_at: null,
          },
        };
      }),
  );
}

function cancellationJson(preview: boolean, outcome: string, quote: RefundQuote, policy: Policy) {
  return { object: 'cancellation', preview, outcome, ...refundJson(quote), policy: policyJson(policy) };
}

function bindSource(b: CreatePolicyBody): BindSource {
  if (b.offer_id !== undefined || b.option_id !== undefined) {
    if (!b.offer_id || !b.option_id) {
      throw new CoreError('validation_failed', 'an offer option needs both offer_id and option_id', [
        { field: b.offer_id ? 'option_id' : 'offer_id', message: 'is required with the other' },
      ]);
    }
    return { offerId: b.offer_id, optionId: b.option_id };
  }
  const missing = (['product_code', 'term_months', 'country', 'item'] as const).filter(
    (f) => b[f] === undefined,
  );
  if (missing.length > 0) {
    throw new CoreError(
      'validation_failed',
      'give offer_id and option_id, or product_code, term_months, country and item',
      missing.map((field) => ({ field, message: 'is required without an offer' })),
    );
  }
  return {
    productCode: b.product_code!,
    termMonths: b.term_months!,
    country: b.country!.toUpperCase(),
    item: toItem(b.item!),
  };
}
