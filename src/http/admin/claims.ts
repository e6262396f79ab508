import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Claim } from '../../core/claims/claim.js';
import { approveClaim, closeClaim, denyClaim, reviewClaim } from '../../core/claims/decide-claim.js';
import { payClaim } from '../../core/claims/pay-claim.js';
import { REASON_MAX } from '../../core/claims/validity.js';
import { notFound } from '../../core/errors.js';
import { requirePartner } from '../../core/partners/manage-partners.js';
import type { Tenant } from '../../core/partners/partner.js';
import type { CoreDeps } from '../../core/ports.js';
import { type App, readDeps } from '../context.js';
import type { Kit } from '../kit/api.js';
import { AttachmentParams, sendAttachment } from '../native/claim-attachments.js';
import { claimJson } from '../native/claim-json.js';
import { ClaimStatusParam } from '../native/claims.js';
import { decodeCursor, listPage } from '../native/input.js';
import { FileDownload, IdParams, Money } from '../native/schemas.js';
import { AdminClaimListSchema, AdminClaimSchema } from './schemas.js';

const strict = { additionalProperties: false } as const;
const Note = Type.Optional(
  Type.String({
    minLength: 1,
    maxLength: REASON_MAX,
    description: "the handler's note, kept in the claim's history",
  }),
);
const NoteBody = Type.Object({ note: Note }, strict);
const ApproveBody = Type.Object({ approved_amount: Money, note: Note }, strict);
const DenyBody = Type.Object({ reason: Type.String({ minLength: 1, maxLength: REASON_MAX }) }, strict);
const PayBody = Type.Object({ paid_amount: Money, note: Note }, strict);
const QueueQuery = Type.Object(
  {
    status: Type.Optional(ClaimStatusParam),
    partner: Type.Optional(Type.String({ minLength: 1, maxLength: 63, description: 'a partner code' })),
    mode: Type.Optional(Type.Union([Type.Literal('test'), Type.Literal('live')])),
    limit: Type.Integer({ minimum: 1, maximum: 100, default: 50 }),
    cursor: Type.Optional(Type.String({ maxLength: 100 })),
  },
  strict,
);

/** The operator sees whose claim it is. */
const adminClaimJson = (c: Claim) => ({ ...claimJson(c), partner_id: c.partnerId });

/** Claims are found by id alone on this plane; the use case then works inside the claim's tenant. */
async function tenantOfClaim(deps: CoreDeps, id: string): Promise<Tenant> {
  const tenant = await deps.repos.claims.locate(id);
  if (!tenant) throw notFound('claim', 'id');
  return tenant;
}

// review and close may be sent without a body: an absent body is an empty one.
const emptyBodyIsEmptyObject = async (request: FastifyRequest) => {
  request.body ??= {};
};

/** The insurer's claims handlers: the queue across partners, and every move of the claim state machine. */
export async function adminClaimRoutes(app: App, kit: Kit): Promise<void> {
  const tags = ['admin: claims'];
  const decide = (
    request: FastifyRequest<{ Params: { id: string } }>,
    reply: FastifyReply,
    move: (deps: CoreDeps, tenant: Tenant, id: string) => Promise<Claim>,
  ) =>
    kit.write(request, reply, async (deps) => {
      const tenant = await tenantOfClaim(deps, request.params.id);
      return { status: 200, body: adminClaimJson(await move(deps, tenant, request.params.id)) };
    });

  app.get(
    '/claims',
    {
      schema: {
        summary: 'The claims queue, newest first',
        description: 'Across partners; filter by status, partner code and mode, follow `next_cursor`.',
        tags,
        querystring: QueueQuery,
        response: { 200: AdminClaimListSchema },
      },
    },
    async (request) => {
      const q = request.query;
      const deps = readDeps(app.protego);
      const partnerId = q.partner ? (await requirePartner(deps, q.partner)).id : undefined;
      const claims = await deps.repos.claims.listAll({
        limit: q.limit + 1,
        ...(q.status ? { status: q.status } : {}),
        ...(partnerId ? { partnerId } : {}),
        ...(q.mode ? { mode: q.mode } : {}),
        ...(q.cursor ? { before: decodeCursor(q.cursor, 'clm') } : {}),
      });
      return listPage(claims, q.limit, adminClaimJson);
    },
  );

  app.get(
    '/claims/:id',
    { schema: { summary: 'Get a claim', tags, params: IdParams, response: { 200: AdminClaimSchema } } },
    async (request) => {
      const deps = readDeps(app.protego);
      const claim = await deps.repos.claims.get(
        await tenantOfClaim(deps, request.params.id),
        request.params.id,
      );
      if (!claim) throw notFound('claim', 'id');
      return adminClaimJson(claim);
    },
  );

  app.get(
    '/claims/:id/attachments/:attachment_id',
    {
      schema: {
        summary: "Download a claim's file",
        tags,
        params: AttachmentParams,
        response: { 200: FileDownload },
      },
    },
    async (request, reply) => {
      const deps = readDeps(app.protego);
      const tenant = await tenantOfClaim(deps, request.params.id);
      const found = await deps.repos.claims.attachment(
        tenant,
        request.params.id,
        request.params.attachment_id,
      );
      if (!found) throw notFound('attachment', 'attachment_id');
      return sendAttachment(reply, found);
    },
  );

  app.post(
    '/claims/:id/review',
    {
      schema: {
        summary: 'Start reviewing a submitted claim',
        tags,
        params: IdParams,
        body: NoteBody,
        response: { 200: AdminClaimSchema },
      },
      preValidation: emptyBodyIsEmptyObject,
    },
    async (request, reply) =>
      decide(request, reply, (deps, tenant, id) => reviewClaim(deps, tenant, id, request.body.note)),
  );

  app.post(
    '/claims/:id/approve',
    {
      schema: {
        summary: 'Approve a claim under review',
        description: 'The approved amount is in the claim currency, above 0 and at most the claimed amount.',
        tags,
        params: IdParams,
        body: ApproveBody,
        response: { 200: AdminClaimSchema },
      },
    },
    async (request, reply) =>
      decide(request, reply, (deps, tenant, id) =>
        approveClaim(deps, tenant, id, {
          approvedAmount: request.body.approved_amount,
          note: request.body.note,
        }),
      ),
  );

  app.post(
    '/claims/:id/deny',
    {
      schema: {
        summary: 'Deny a claim under review',
        tags,
        params: IdParams,
        body: DenyBody,
        response: { 200: AdminClaimSchema },
      },
    },
    async (request, reply) =>
      decide(request, reply, (deps, tenant, id) => denyClaim(deps, tenant, id, request.body.reason)),
  );

  app.post(
    '/claims/:id/pay',
    {
      schema: {
        summary: 'Record the payment of an approved claim',
        description:
          'At most the approved amount. The policy is marked as having had a claim paid: a later cancellation refunds nothing unless the product refunds pro rata after a paid claim.',
        tags,
        params: IdParams,
        body: PayBody,
        response: { 200: AdminClaimSchema },
      },
    },
    async (request, reply) =>
      decide(request, reply, (deps, tenant, id) =>
        payClaim(deps, tenant, id, { paidAmount: request.body.paid_amount, note: request.body.note }),
      ),
  );

  app.post(
    '/claims/:id/close',
    {
      schema: {
        summary: 'Close a paid or denied claim',
        tags,
        params: IdParams,
        body: NoteBody,
        response: { 200: AdminClaimSchema },
      },
      preValidation: emptyBodyIsEmptyObject,
    },
    async (request, reply) =>
      decide(request, reply, (deps, tenant, id) => closeClaim(deps, tenant, id, request.body.note)),
  );
}
