import { Type } from 'typebox';
import { requirePartner } from '../../core/partners/manage-partners.js';
import type { Mode } from '../../core/partners/partner.js';
import type { CoreDeps } from '../../core/ports.js';
import { WEBHOOK_FORMATS, type WebhookFormat } from '../../core/webhooks/endpoint.js';
import { createEndpoint } from '../../core/webhooks/manage-endpoints.js';
import { type App, readDeps } from '../context.js';
import type { Kit } from '../kit/api.js';
import {
  DeliveryListSchema,
  DeliverySchema,
  WebhookEndpointListSchema,
  WebhookEndpointSchema,
} from '../native/schemas.js';
import { deliveries, EndpointBody, endpointJson, redeliver, toEndpointInput } from '../native/webhooks.js';
import { CodeParams, ModeQuery } from './schemas.js';

const strict = { additionalProperties: false } as const;
const CodeIdParams = Type.Object(
  { code: Type.String({ minLength: 1, maxLength: 63 }), id: Type.String({ minLength: 1, maxLength: 60 }) },
  strict,
);

/** The operator also picks how deliveries are shaped and signed: Standard Webhooks, or XCover's way. */
const AdminEndpointBody = Type.Object(
  {
    ...EndpointBody.properties,
    format: Type.Optional(
      Type.Union(
        WEBHOOK_FORMATS.map((f) => Type.Literal(f)),
        {
          default: 'standard',
          description:
            'standard: Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature). xcover: XCover\'s body ({event: BOOKING_CREATED…, payload}) signed with Authorization: Signature (hmac-sha512 over "(request-target) date", keyId = endpoint id, key = the whsec_ secret as shown), plus Date and X-Webhook-Id.',
        },
      ),
    ),
  },
  strict,
);

async function tenantOf(deps: CoreDeps, code: string, mode: Mode) {
  const partner = await requirePartner(deps, code);
  return { partnerId: partner.id, mode };
}

/** The operator's view of a partner's webhooks: register for them, read the log, redeliver. */
export async function adminWebhookRoutes(app: App, kit: Kit): Promise<void> {
  const tags = ['admin: webhooks'];
  app.post(
    '/partners/:code/webhook-endpoints',
    {
      schema: {
        summary: "Register a webhook endpoint for a partner's test or live data",
        tags,
        params: CodeParams,
        querystring: ModeQuery,
        body: AdminEndpointBody,
        response: { 201: WebhookEndpointSchema },
      },
    },
    async (request, reply) =>
      kit.write(request, reply, async (deps) => {
        const tenant = await tenantOf(deps, request.params.code, request.query.mode);
        const input = {
          ...toEndpointInput(request.body),
          format: (request.body.format ?? 'standard') as WebhookFormat,
        };
        return {
          status: 201,
          body: endpointJson(await createEndpoint(deps, tenant, input), true),
        };
      }),
  );
  app.get(
    '/partners/:code/webhook-endpoints',
    {
      schema: {
        summary: "A partner's webhook endpoints",
        tags,
        params: CodeParams,
        querystring: ModeQuery,
        response: { 200: WebhookEndpointListSchema },
      },
    },
    async (request) => {
      const deps = readDeps(app.protego);
      const tenant = await tenantOf(deps, request.params.code, request.query.mode);
      return {
        object: 'list' as const,
        data: (await deps.repos.webhooks.list(tenant)).map((e) => endpointJson(e)),
      };
    },
  );
  app.get(
    '/partners/:code/webhook-endpoints/:id/deliveries',
    {
      schema: {
        summary: "An endpoint's delivery log",
        tags,
        params: CodeIdParams,
        querystring: ModeQuery,
        response: { 200: DeliveryListSchema },
      },
    },
    async (request) => {
      const deps = readDeps(app.protego);
      const tenant = await tenantOf(deps, request.params.code, request.query.mode);
      return deliveries(deps, tenant, request.params.id, 50);
    },
  );
  app.post(
    '/partners/:code/webhook-deliveries/:id/redeliver',
    {
      schema: {
        summary: 'Send a delivery again',
        tags,
        params: CodeIdParams,
        querystring: ModeQuery,
        response: { 202: DeliverySchema },
      },
    },
    async (request, reply) =>
      kit.write(request, reply, async (deps) => {
        const tenant = await tenantOf(deps, request.params.code, request.query.mode);
        return { status: 202, body: await redeliver(deps, tenant, request.params.id) };
      }),
  );
}
