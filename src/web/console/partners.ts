import type { FastifyReply, FastifyRequest } from 'fastify';
import { nodeSecrets } from '../../auth/secrets.js';
import { invalid, isCoreError } from '../../core/errors.js';
import { issueCredentials } from '../../core/partners/issue-credentials.js';
import { createPartner, requirePartner } from '../../core/partners/manage-partners.js';
import type { Mode } from '../../core/partners/partner.js';
import { revokeCredentials } from '../../core/partners/revoke-credentials.js';
import { addStore, removeStore } from '../../core/stores/manage-stores.js';
import { listDeliveries, redeliverWebhook } from '../../core/webhooks/deliveries.js';
import { write, writeOnce } from '../kit/write.js';
import type { ConsoleContext } from './context.js';
import { type Form, once, renamed, sentTwice } from './form.js';
import {
  partnerFormView,
  partnerFromForm,
  storeFormPath,
  storeFormView,
  storeFromForm,
} from './partner-forms.js';
import { fieldErrors, page, statusOf } from './render.js';
import { operatorOnly } from './scope.js';

const MODES: Mode[] = ['live', 'test'];

export async function partnerPages(ctx: ConsoleContext): Promise<void> {
  const { app } = ctx;
  const services = app.protego;
  const repos = services.db.read;
  const readDeps = () => ({ repos, clock: services.clock, ids: services.ids });

  const partnersPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    form: Form = {},
    errors: Record<string, string> = {},
    status = 200,
  ) => {
    const partners = await repos.partners.list();
    const create = partnerFormView(form, errors);
    return page(ctx, request, reply, 'partners', { title: 'Partners', partners, create }, status);
  };

  const partnerPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    code: string,
    storeForm: Form = {},
    errors: Record<string, string> = {},
    status = 200,
  ) => {
    const partner = await requirePartner(readDeps(), code);
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
      publicIds: credentials.filter((x) => x.setId === c.setId && x.kind !== 'api_key').map((x) => x.lookup),
    }));
    return page(
      ctx,
      request,
      reply,
      'partner',
      {
        title: partner.name,
        partner,
        products,
        stores,
        sets,
        endpoints,
        addStore: storeFormView(partner, storeForm, errors),
      },
      status,
    );
  };

  /** A refusal's problems by form field, or its message when it names none. */
  const errorsOf = (error: { message: string }, rename: (path: string) => string = (p) => p) => {
    const errors = fieldErrors(renamed(error, rename));
    if (Object.keys(errors).length === 0) errors._form = error.message;
    return errors;
  };

  app.get('/partners', { schema: { hide: true } }, async (request, reply) => {
    operatorOnly(request.consoleUser);
    return partnersPage(request, reply);
  });

  app.post<{ Body: Form }>('/partners', { schema: { hide: true } }, async (request, reply) => {
    operatorOnly(request.consoleUser);
    const form = { ...request.body };
    const { input, formPath } = partnerFromForm(form);
    try {
      // Sent twice (a double click, a retry), the form makes one partner and both land on its page.
      const code = await writeOnce(
        services,
        once(form, 'create-partner'),
        async (deps) => (await createPartner(deps, input)).code,
        sentTwice,
      );
      return reply.redirect(`/console/partners/${encodeURIComponent(code)}?created=1`, 303);
    } catch (error) {
      if (!isCoreError(error) || error.code === 'idempotency_key_reused') throw error;
      return partnersPage(request, reply, form, errorsOf(error, formPath), statusOf(error));
    }
  });

  app.get<{ Params: { code: string } }>(
    '/partners/:code',
    { schema: { hide: true } },
    async (request, reply) => {
      operatorOnly(request.consoleUser);
      return partnerPage(request, reply, request.params.code);
    },
  );

  app.post<{ Params: { code: string }; Body: Form }>(
    '/partners/:code/stores',
    { schema: { hide: true } },
    async (request, reply) => {
      operatorOnly(request.consoleUser);
      const { code } = request.params;
      const form = { ...request.body };
      try {
        await writeOnce(
          services,
          once(form, `add-store:${code}`),
          async (deps) => (await addStore(deps, code, storeFromForm(form))).externalId,
          sentTwice,
        );
        return reply.redirect(`/console/partners/${encodeURIComponent(code)}#stores`, 303);
      } catch (error) {
        if (!isCoreError(error) || (error.code !== 'validation_failed' && error.code !== 'already_exists'))
          throw error;
        return partnerPage(request, reply, code, form, errorsOf(error, storeFormPath), statusOf(error));
      }
    },
  );

  app.post<{ Params: { code: string; store: string } }>(
    '/partners/:code/stores/:store/remove',
    { schema: { hide: true } },
    async (request, reply) => {
      operatorOnly(request.consoleUser);
      const partner = await requirePartner(readDeps(), request.params.code);
      await write(services, (deps) => removeStore(deps, partner.code, request.params.store)).catch(
        (error: unknown) => {
          // Removed already (the form sent twice): what was asked for is done.
          if (!isCoreError(error) || error.code !== 'not_found') throw error;
        },
      );
      return reply.redirect(`/console/partners/${encodeURIComponent(partner.code)}#stores`, 303);
    },
  );

  app.post<{ Params: { code: string }; Body: { mode?: string } }>(
    '/partners/:code/credentials',
    { schema: { hide: true } },
    async (request, reply) => {
      operatorOnly(request.consoleUser);
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
      operatorOnly(request.consoleUser);
      await write(services, (deps) => revokeCredentials(deps, request.params.code, request.params.set));
      return reply.redirect(`/console/partners/${encodeURIComponent(request.params.code)}`, 303);
    },
  );

  app.post<{ Params: { code: string }; Body: { delivery?: string; mode?: string } }>(
    '/partners/:code/redeliver',
    { schema: { hide: true } },
    async (request, reply) => {
      operatorOnly(request.consoleUser);
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
