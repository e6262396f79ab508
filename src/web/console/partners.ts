import type { FastifyRequest } from 'fastify';
import { nodeSecrets } from '../../auth/secrets.js';
import { invalid, notFound } from '../../core/errors.js';
import { issueCredentials } from '../../core/partners/issue-credentials.js';
import { requirePartner } from '../../core/partners/manage-partners.js';
import type { Mode } from '../../core/partners/partner.js';
import { revokeCredentials } from '../../core/partners/revoke-credentials.js';
import { listDeliveries, redeliverWebhook } from '../../core/webhooks/deliveries.js';
import { write } from '../kit/write.js';
import type { ConsoleContext } from './context.js';
import { page } from './render.js';

const MODES: Mode[] = ['live', 'test'];

/** Partners, their credentials and webhooks are the insurer's to manage: a partner user is shown nothing. */
function operatorOnly(request: FastifyRequest): void {
  if (request.consoleUser?.partnerId !== null) throw notFound('page');
}

export async function partnerPages(ctx: ConsoleContext): Promise<void> {
  const { app } = ctx;
  const services = app.protego;
  const repos = services.db.read;
  const readDeps = () => ({ repos, clock: services.clock, ids: services.ids });

  app.get('/partners', { schema: { hide: true } }, async (request, reply) => {
    operatorOnly(request);
    const partners = await repos.partners.list();
    return page(ctx, request, reply, 'partners', { title: 'Partners', partners });
  });

  app.get<{ Params: { code: string } }>(
    '/partners/:code',
    { schema: { hide: true } },
    async (request, reply) => {
      operatorOnly(request);
      const partner = await requirePartner(readDeps(), request.params.code);
      const [products, stores, credentials] = await Promise.all([
        repos.partners.enabledProducts(partner.id),
        repos.stores.list(partner.id),
        repos.credentials.list(partner.id),
      ]);
      const endpoints = [];
      for (const mode of MODES) {
        const tenant = { partnerId: partner.id, mode };
        for (const endpoint of await repos.webhooks.list(tenant))
          endpoints.push({ endpoint, deliveries: await listDeliveries(readDeps(), tenant, endpoint.id, 10) });
      }
      // One row per set: the API key, OAuth client and HMAC key issued together.
      const sets = [...new Map(credentials.map((c) => [c.setId, c])).values()].map((c) => ({
        setId: c.setId,
        mode: c.mode,
        createdAt: c.createdAt,
        revokedAt: c.revokedAt,
        publicIds: credentials
          .filter((x) => x.setId === c.setId && x.kind !== 'api_key')
          .map((x) => x.lookup),
      }));
      return page(ctx, request, reply, 'partner', {
        title: partner.name,
        partner,
        products,
        stores,
        sets,
        endpoints,
      });
    },
  );

  app.post<{ Params: { code: string }; Body: { mode?: string } }>(
    '/partners/:code/credentials',
    { schema: { hide: true } },
    async (request, reply) => {
      operatorOnly(request);
      const mode = MODES.find((m) => m === request.body?.mode);
      if (!mode) throw invalid('mode', 'live or test');
      const { partner, issued, setId } = await write(services, (deps) =>
        issueCredentials(deps, nodeSecrets, request.params.code, mode),
      );
      // The only time the secrets are shown: Protego keeps hashes and ciphertext.
      return page(ctx, request, reply, 'credentials-issued', {
        title: 'New credentials',
        partner,
        issued,
        setId,
      });
    },
  );

  app.post<{ Params: { code: string; set: string } }>(
    '/partners/:code/credentials/:set/revoke',
    { schema: { hide: true } },
    async (request, reply) => {
      operatorOnly(request);
      await write(services, (deps) => revokeCredentials(deps, request.params.code, request.params.set));
      return reply.redirect(`/console/partners/${encodeURIComponent(request.params.code)}`, 303);
    },
  );

  app.post<{ Params: { code: string }; Body: { delivery?: string; mode?: string } }>(
    '/partners/:code/redeliver',
    { schema: { hide: true } },
    async (request, reply) => {
      operatorOnly(request);
      const partner = await requirePartner(readDeps(), request.params.code);
      const mode = MODES.find((m) => m === request.body?.mode);
      if (!mode) throw invalid('mode', 'live or test');
      await write(services, (deps) =>
        redeliverWebhook(deps, { partnerId: partner.id, mode }, request.body?.delivery ?? ''),
      );
      return reply.redirect(`/console/partners/${encodeURIComponent(partner.code)}#webhooks`, 303);
    },
  );
}
