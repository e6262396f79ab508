import { nodeSecrets } from '../../auth/secrets.js';
import { issueCredentials } from '../../core/partners/issue-credentials.js';
import {
  createPartner,
  disableProduct,
  enableProduct,
  requirePartner,
} from '../../core/partners/manage-partners.js';
import type { Partner } from '../../core/partners/partner.js';
import { issuePublishableKey } from '../../core/partners/publishable-keys.js';
import { revokeCredentials } from '../../core/partners/revoke-credentials.js';
import type { CoreDeps } from '../../core/ports.js';
import { type App, readDeps } from '../context.js';
import type { Kit } from '../kit/api.js';
import {
  CodeParams,
  CreatePartnerBody,
  CredentialSetParams,
  CredentialsBody,
  EnableProductBody,
  IssuedCredentialsSchema,
  PartnerListSchema,
  PartnerProductParams,
  PartnerSchema,
  PublishableKeyBody,
  PublishableKeySchema,
} from './schemas.js';
import { credentialsJson } from './wire.js';

async function partnerJson(deps: CoreDeps, p: Partner) {
  const [products, credentials] = await Promise.all([
    deps.repos.partners.enabledProducts(p.id),
    deps.repos.credentials.list(p.id),
  ]);
  return {
    id: p.id,
    object: 'partner' as const,
    code: p.code,
    name: p.name,
    markets: p.markets,
    counterpart_handle: p.counterpartHandle,
    created_at: p.createdAt.toISOString(),
    products: products.map((e) => ({
      product_code: e.productCode,
      commission_bp: e.commissionBp,
      enabled_at: e.enabledAt.toISOString(),
    })),
    // The public halves only: secrets are shown once, when they are made.
    credentials: credentials.map((c) => ({
      id: c.id,
      kind: c.kind,
      mode: c.mode,
      ...(c.kind === 'api_key' ? {} : { public_id: c.lookup }),
      ...(c.origins ? { allowed_origins: c.origins } : {}),
      set_id: c.setId,
      created_at: c.createdAt.toISOString(),
      revoked_at: c.revokedAt?.toISOString() ?? null,
    })),
  };
}

export async function partnerRoutes(app: App, kit: Kit): Promise<void> {
  const tags = ['admin: partners'];
  app.post(
    '/partners',
    {
      schema: {
        summary: 'Create a partner (a tenant)',
        tags,
        body: CreatePartnerBody,
        response: { 201: PartnerSchema },
      },
    },
    async (request, reply) =>
      kit.write(request, reply, async (deps) => {
        const partner = await createPartner(deps, request.body);
        return { status: 201, body: await partnerJson(deps, partner) };
      }),
  );

  app.get(
    '/partners',
    { schema: { summary: 'List partners', tags, response: { 200: PartnerListSchema } } },
    async () => {
      const deps = readDeps(app.protego);
      const partners = await deps.repos.partners.list();
      return {
        object: 'list' as const,
        data: await Promise.all(partners.map((p) => partnerJson(deps, p))),
      };
    },
  );

  app.get(
    '/partners/:code',
    { schema: { summary: 'Get a partner', tags, params: CodeParams, response: { 200: PartnerSchema } } },
    async (request) => {
      const deps = readDeps(app.protego);
      return partnerJson(deps, await requirePartner(deps, request.params.code));
    },
  );

  app.post(
    '/partners/:code/credentials',
    {
      schema: {
        summary: 'Issue credentials',
        description:
          'An API key, an OAuth2 client (id and secret) and an HMAC signing key for one mode. Every secret is in this answer only: Protego keeps hashes (API key, client secret) or ciphertext (HMAC secret).',
        tags,
        params: CodeParams,
        body: CredentialsBody,
        response: { 201: IssuedCredentialsSchema },
      },
    },
    async (request, reply) =>
      kit.write(request, reply, async (deps) => {
        const { partner, issued, setId } = await issueCredentials(
          deps,
          nodeSecrets,
          request.params.code,
          request.body.mode,
        );
        return {
          status: 201,
          body: { object: 'credentials', partner: partner.code, set_id: setId, ...credentialsJson(issued) },
        };
      }),
  );

  app.post(
    '/partners/:code/publishable-keys',
    {
      schema: {
        summary: 'Issue a publishable key for the offer widget',
        description:
          'A pk_test_… or pk_live_… key that asks for offers only (POST /v1/widget/{key}/offers), and only from the allowed origins (CORS is limited to them). Every other route refuses it. Revoke it like any credential set.',
        tags,
        params: CodeParams,
        body: PublishableKeyBody,
        response: { 201: PublishableKeySchema },
      },
    },
    async (request, reply) =>
      kit.write(request, reply, async (deps) => {
        const { partner, key, setId, origins } = await issuePublishableKey(
          deps,
          nodeSecrets,
          request.params.code,
          request.body.mode,
          request.body.allowed_origins,
        );
        return {
          status: 201,
          body: {
            object: 'publishable_key',
            partner: partner.code,
            set_id: setId,
            mode: request.body.mode,
            publishable_key: key,
            allowed_origins: origins,
          },
        };
      }),
  );

  app.post(
    '/partners/:code/credentials/:set_id/revoke',
    {
      schema: {
        summary: 'Revoke a credential set',
        description:
          'The API key, OAuth2 client and HMAC key issued together under this set_id authenticate nothing from now on, on every API, and neither do access tokens already issued to that client. The credentials stay listed, with revoked_at. Revoking a revoked set changes nothing (revoked_at keeps the first time). A revoked set cannot be restored: issue a new one.',
        tags,
        params: CredentialSetParams,
        response: { 200: PartnerSchema },
      },
    },
    async (request, reply) =>
      kit.write(request, reply, async (deps) => {
        const { partner } = await revokeCredentials(deps, request.params.code, request.params.set_id);
        return { status: 200, body: await partnerJson(deps, partner) };
      }),
  );

  app.put(
    '/partners/:code/products/:product_code',
    {
      schema: {
        summary: 'Let a partner sell a product',
        tags,
        params: PartnerProductParams,
        body: EnableProductBody,
        response: { 200: PartnerSchema },
      },
    },
    async (request, reply) =>
      kit.write(request, reply, async (deps) => {
        await enableProduct(
          deps,
          request.params.code,
          request.params.product_code,
          request.body.commission_bp,
        );
        return {
          status: 200,
          body: await partnerJson(deps, await requirePartner(deps, request.params.code)),
        };
      }),
  );

  app.delete(
    '/partners/:code/products/:product_code',
    {
      schema: {
        summary: 'Stop a partner selling a product',
        tags,
        params: PartnerProductParams,
        response: { 200: PartnerSchema },
      },
    },
    async (request, reply) =>
      kit.write(request, reply, async (deps) => {
        const partner = await disableProduct(deps, request.params.code, request.params.product_code);
        return { status: 200, body: await partnerJson(deps, partner) };
      }),
  );
}
