import { type Static, Type } from 'typebox';
import { CLAIM_STATUSES, CLAIM_TYPES, type ClaimStatus, type ClaimType } from '../../core/claims/claim.js';
import { fileClaim } from '../../core/claims/file-claim.js';
import { DESCRIPTION_MAX } from '../../core/claims/validity.js';
import { notFound } from '../../core/errors.js';
import { type App, readDeps } from '../context.js';
import type { Kit } from '../kit/api.js';
import { claimAttachmentRoutes } from './claim-attachments.js';
import { claimEventJson, claimJson } from './claim-json.js';
import { decodeCursor, listPage } from './input.js';
import { ClaimListSchema, ClaimSchema, HistorySchema, IdParams, Money } from './schemas.js';

const strict = { additionalProperties: false } as const;
// Plain enums, so a wrong value is reported once as "must be one of …".
export const ClaimStatusParam = Type.Unsafe<ClaimStatus>({ type: 'string', enum: [...CLAIM_STATUSES] });
const ClaimTypeParam = Type.Unsafe<ClaimType>({ type: 'string', enum: [...CLAIM_TYPES] });

const FileClaimBody = Type.Object(
  {
    incident_date: Type.String({ format: 'date', description: 'the day of the loss, YYYY-MM-DD (UTC)' }),
    type: ClaimTypeParam,
    description: Type.String({ minLength: 1, maxLength: DESCRIPTION_MAX }),
    claimed_amount: Money,
  },
  strict,
);

const ListClaimsQuery = Type.Object(
  {
    policy_id: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })),
    status: Type.Optional(ClaimStatusParam),
    limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
    cursor: Type.Optional(Type.String({ maxLength: 100 })),
  },
  strict,
);

/** Partners file claims, send evidence and follow them; only the insurer's handlers move them on (admin). */
export async function claimRoutes(app: App, kit: Kit): Promise<void> {
  const tags = ['claims'];
  app.post(
    '/policies/:id/claims',
    {
      schema: {
        summary: 'File a claim against a policy',
        description:
          'The policy must have covered the incident day and not be cancelled or voided (an expired policy takes claims for losses during cover). The amount is in minor units of the policy currency, at most the product cover limit. Send evidence afterwards to `/v1/claims/{id}/attachments`.',
        tags,
        params: IdParams,
        body: FileClaimBody,
        response: { 201: ClaimSchema },
      },
    },
    async (request, reply) =>
      kit.write(request, reply, async (deps) => {
        const b: Static<typeof FileClaimBody> = request.body;
        const claim = await fileClaim(deps, request.tenant, {
          policyId: request.params.id,
          incidentDate: b.incident_date,
          type: b.type,
          description: b.description,
          claimedAmount: b.claimed_amount,
        });
        return { status: 201, body: claimJson(claim) };
      }),
  );

  app.get(
    '/claims',
    {
      schema: {
        summary: 'List claims, newest first',
        description: 'Filter by policy and status; follow `next_cursor` for the next page.',
        tags,
        querystring: ListClaimsQuery,
        response: { 200: ClaimListSchema },
      },
    },
    async (request) => {
      const q = request.query;
      const claims = await app.protego.db.read.claims.list(request.tenant, {
        limit: q.limit + 1,
        ...(q.policy_id ? { policyId: q.policy_id } : {}),
        ...(q.status ? { status: q.status } : {}),
        ...(q.cursor ? { before: decodeCursor(q.cursor, 'clm') } : {}),
      });
      return listPage(claims, q.limit, claimJson);
    },
  );

  app.get(
    '/claims/:id',
    { schema: { summary: 'Get a claim', tags, params: IdParams, response: { 200: ClaimSchema } } },
    async (request) => {
      const claim = await app.protego.db.read.claims.get(request.tenant, request.params.id);
      if (!claim) throw notFound('claim', 'id');
      return claimJson(claim);
    },
  );

  app.get(
    '/claims/:id/events',
    {
      schema: {
        summary: "A claim's history",
        description:
          'Every change of the claim, oldest first: filing, files added, each decision. Never rewritten.',
        tags,
        params: IdParams,
        response: { 200: HistorySchema },
      },
    },
    async (request) => {
      const deps = readDeps(app.protego);
      const claim = await deps.repos.claims.get(request.tenant, request.params.id);
      if (!claim) throw notFound('claim', 'id');
      const events = await deps.repos.claims.history(request.tenant, claim.id);
      return { object: 'list' as const, data: events.map(claimEventJson) };
    },
  );

  // Its own scope: the multipart parser it adds applies to its routes only.
  await app.register(async (scope) => claimAttachmentRoutes(scope as App, kit));
}
