import { CLAIM_STATUSES, type Claim, type ClaimStatus } from '../../core/claims/claim.js';
import { approveClaim, denyClaim, reviewClaim } from '../../core/claims/decide-claim.js';
import { payClaim } from '../../core/claims/pay-claim.js';
import { invalid, isCoreError, notFound } from '../../core/errors.js';
import { fromMajor } from '../../core/money.js';
import type { CoreDeps } from '../../core/ports.js';
import { write } from '../kit/write.js';
import type { ConsoleContext } from './context.js';
import { fieldErrors, page, statusOf } from './render.js';
import { claimTenant } from './scope.js';

const OPEN: ClaimStatus[] = ['submitted', 'in_review', 'approved'];

type Action = 'review' | 'approve' | 'deny' | 'pay';
type Form = { amount?: string; reason?: string; note?: string };

function amountOf(form: Form, claim: Claim, field: string) {
  const amount = fromMajor(form.amount ?? '', claim.claimedAmount.currency);
  if (amount === undefined || amount <= 0)
    throw invalid(field, `a positive amount in ${claim.claimedAmount.currency}, like 450.00`);
  return { amount, currency: claim.claimedAmount.currency };
}

const note = (form: Form) => (form.note?.trim() ? form.note.trim() : undefined);

const ACTIONS: Record<Action, (deps: CoreDeps, claim: Claim, form: Form) => Promise<Claim>> = {
  review: (deps, c, f) => reviewClaim(deps, c, c.id, note(f)),
  approve: (deps, c, f) =>
    approveClaim(deps, c, c.id, { approvedAmount: amountOf(f, c, 'approvedAmount'), ...opt(note(f)) }),
  deny: (deps, c, f) => denyClaim(deps, c, c.id, f.reason ?? ''),
  pay: (deps, c, f) => payClaim(deps, c, c.id, { paidAmount: amountOf(f, c, 'paidAmount'), ...opt(note(f)) }),
};

const opt = (n: string | undefined) => (n ? { note: n } : {});

export async function claimPages(ctx: ConsoleContext): Promise<void> {
  const { app } = ctx;
  const repos = app.protego.db.read;

  app.get<{ Querystring: { status?: string } }>(
    '/claims',
    { schema: { hide: true } },
    async (request, reply) => {
      const user = request.consoleUser!;
      const status = CLAIM_STATUSES.find((s) => s === request.query.status);
      const filter = { limit: 100, ...(user.partnerId ? { partnerId: user.partnerId } : {}) };
      const claims = status
        ? await repos.claims.listAll({ ...filter, status })
        : (await Promise.all(OPEN.map((s) => repos.claims.listAll({ ...filter, status: s }))))
            .flat()
            .sort((a, b) => b.id.localeCompare(a.id));
      return page(ctx, request, reply, 'claims', {
        title: 'Claims',
        claims,
        status: status ?? '',
        statuses: CLAIM_STATUSES,
      });
    },
  );

  const claimPage = async (
    request: Parameters<typeof page>[1],
    reply: Parameters<typeof page>[2],
    id: string,
    errors: Record<string, string> = {},
    status = 200,
  ) => {
    const tenant = await claimTenant(repos, request.consoleUser!, id);
    const claim = await repos.claims.get(tenant, id);
    if (!claim) throw notFound(`claim ${id}`);
    const [history, policy] = await Promise.all([
      repos.claims.history(tenant, id),
      repos.policies.get(tenant, claim.policyId),
    ]);
    return page(
      ctx,
      request,
      reply,
      'claim',
      { title: `Claim ${id}`, claim, history, policy, errors },
      status,
    );
  };

  app.get<{ Params: { id: string } }>('/claims/:id', { schema: { hide: true } }, (request, reply) =>
    claimPage(request, reply, request.params.id),
  );

  app.post<{ Params: { id: string; action: string }; Body: Form }>(
    '/claims/:id/:action',
    { schema: { hide: true } },
    async (request, reply) => {
      const action = (['review', 'approve', 'deny', 'pay'] as const).find((a) => a === request.params.action);
      if (!action) throw notFound('action');
      const tenant = await claimTenant(repos, request.consoleUser!, request.params.id);
      try {
        await write(app.protego, async (deps) => {
          const claim = await deps.repos.claims.get(tenant, request.params.id);
          if (!claim) throw notFound(`claim ${request.params.id}`);
          return ACTIONS[action](deps, claim, request.body ?? {});
        });
      } catch (error) {
        if (!isCoreError(error)) throw error;
        const errors = fieldErrors(error);
        return claimPage(
          request,
          reply,
          request.params.id,
          { [action]: Object.values(errors)[0] ?? error.message },
          statusOf(error),
        );
      }
      return reply.redirect(`/console/claims/${request.params.id}`, 303);
    },
  );

  app.get<{ Params: { id: string; attachment: string } }>(
    '/claims/:id/attachments/:attachment',
    { schema: { hide: true } },
    async (request, reply) => {
      const tenant = await claimTenant(repos, request.consoleUser!, request.params.id);
      const found = await repos.claims.attachment(tenant, request.params.id, request.params.attachment);
      if (!found) throw notFound('attachment');
      const { attachment, content } = found;
      // Always a download: a file a customer uploaded is never rendered in the console's origin.
      return reply
        .type(attachment.contentType)
        .header(
          'content-disposition',
          `attachment; filename="${attachment.filename.replace(/[^\w.\- ]/g, '_')}"`,
        )
        .header('cache-control', 'no-store')
        .send(Buffer.from(content));
    },
  );
}
