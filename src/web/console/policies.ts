import { confirmCancellation, previewCancellation } from '../../core/policies/cancellation-change.js';
import { POLICY_STATUSES, type PolicyStatus } from '../../core/policies/policy.js';
import type { PolicyLookup } from '../../core/ports.js';
import { write } from '../kit/write.js';
import type { ConsoleContext } from './context.js';
import { page } from './render.js';
import { policyTenant } from './scope.js';

type Query = { q?: string; status?: string };

/** One search box: a policy id, a holder's e-mail address or else an order id. */
function searchFilter(query: Query, partnerId: string | null): PolicyLookup {
  const q = query.q?.trim() ?? '';
  const status = POLICY_STATUSES.find((s) => s === query.status) as PolicyStatus | undefined;
  return {
    limit: 50,
    ...(partnerId ? { partnerId } : {}),
    ...(status ? { status } : {}),
    ...(q === ''
      ? {}
      : /^pol_/i.test(q)
        ? { id: q.toLowerCase() }
        : q.includes('@')
          ? { email: q }
          : { orderId: q }),
  };
}

export async function policyPages(ctx: ConsoleContext): Promise<void> {
  const { app } = ctx;
  const repos = app.protego.db.read;

  app.get<{ Querystring: Query }>('/policies', { schema: { hide: true } }, async (request, reply) => {
    const user = request.consoleUser!;
    const policies = await repos.policies.lookup(searchFilter(request.query, user.partnerId));
    const partners = new Map((await repos.partners.list()).map((p) => [p.id, p.code]));
    return page(ctx, request, reply, 'policies', {
      title: 'Policies',
      query: request.query,
      statuses: POLICY_STATUSES,
      policies,
      partners,
    });
  });

  app.get<{ Params: { id: string }; Querystring: { sold?: string; cancelled?: string } }>(
    '/policies/:id',
    { schema: { hide: true } },
    async (request, reply) => {
      const tenant = await policyTenant(repos, request.consoleUser!, request.params.id);
      const policy = (await repos.policies.get(tenant, request.params.id))!;
      const [history, letters, claims, partner] = await Promise.all([
        repos.policies.history(tenant, policy.id),
        Promise.all(
          (['policy_letter', 'cancellation_letter'] as const).map((kind) =>
            repos.jobs.list(tenant, { kind, subjectId: policy.id, limit: 20 }),
          ),
        ).then((lists) => lists.flat().sort((a, b) => a.id.localeCompare(b.id))),
        repos.claims.list(tenant, { policyId: policy.id, limit: 50 }),
        repos.partners.getById(tenant.partnerId),
      ]);
      return page(ctx, request, reply, 'policy', {
        title: `Policy ${policy.id}`,
        policy,
        partner,
        history,
        letters,
        claims,
        sold: request.query.sold === '1',
        cancelled: request.query.cancelled === '1',
        cancellable: ['pending_payment', 'scheduled', 'active'].includes(policy.status),
      });
    },
  );

  // The refund first: a preview, held as a pending change the confirmation ends the policy at.
  app.post<{ Params: { id: string }; Body: { reason?: string } }>(
    '/policies/:id/cancel',
    { schema: { hide: true } },
    async (request, reply) => {
      const tenant = await policyTenant(repos, request.consoleUser!, request.params.id);
      const reason = request.body?.reason?.trim() || 'requested';
      const group = await write(app.protego, (deps) =>
        previewCancellation(deps, tenant, { policyIds: [request.params.id], reason }),
      );
      const policy = (await repos.policies.get(tenant, request.params.id))!;
      return page(ctx, request, reply, 'cancel', {
        title: `Cancel policy ${policy.id}`,
        policy,
        group,
        quote: group.changes[0]!.cancellation!.quote!,
      });
    },
  );

  app.post<{ Params: { id: string }; Body: { group_id?: string } }>(
    '/policies/:id/cancel/confirm',
    { schema: { hide: true } },
    async (request, reply) => {
      const tenant = await policyTenant(repos, request.consoleUser!, request.params.id);
      await write(app.protego, (deps) =>
        confirmCancellation(deps, tenant, request.body?.group_id ?? '', { within: [request.params.id] }),
      );
      return reply.redirect(`/console/policies/${request.params.id}?cancelled=1`, 303);
    },
  );
}
