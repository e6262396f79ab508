import { Type } from 'typebox';
import { addStore, listStores, removeStore } from '../../core/stores/manage-stores.js';
import type { PartnerStore } from '../../core/stores/store.js';
import { type App, readDeps } from '../context.js';
import type { Kit } from '../kit/api.js';
import { CodeParams, NoContent, StoreListSchema, StoreSchema } from './schemas.js';

const strict = { additionalProperties: false } as const;

const CreateStoreBody = Type.Object(
  {
    external_id: Type.String({
      minLength: 1,
      maxLength: 128,
      description: "the partner's own id of the store: what Sitoo POS sends as Store-ID",
    }),
    country: Type.String({
      pattern: '^[A-Za-z]{2}$',
      description: "ISO 3166 alpha-2, one of the partner's markets",
    }),
    currency: Type.String({ pattern: '^[A-Za-z]{3}$', description: "ISO 4217, the market's currency" }),
  },
  strict,
);

const StoreParams = Type.Object(
  {
    code: Type.String({ minLength: 1, maxLength: 63 }),
    external_id: Type.String({ minLength: 1, maxLength: 128 }),
  },
  strict,
);

const storeJson = (s: PartnerStore) => ({
  object: 'store' as const,
  external_id: s.externalId,
  country: s.country,
  currency: s.currency,
  created_at: s.createdAt.toISOString(),
});

/** A partner's stores: the POS locations the Sitoo dialect answers for (`Store-ID`). */
export async function adminStoreRoutes(app: App, kit: Kit): Promise<void> {
  const tags = ['admin: partners'];
  app.post(
    '/partners/:code/stores',
    {
      schema: {
        summary: 'Add a store',
        tags,
        params: CodeParams,
        body: CreateStoreBody,
        response: { 201: StoreSchema },
      },
    },
    async (request, reply) =>
      kit.write(request, reply, async (deps) => {
        const { external_id, country, currency } = request.body;
        const db = await addStore(deps, request.params.code, {
          externalId: external_id,
          country: country.toUpperCase(),
          currency: currency.toUpperCase(),
        });
        return { status: 201, body: storeJson(db) };
      }),
  );

  app.get(
    '/partners/:code/stores',
    {
      schema: {
        summary: "List a partner's stores",
        tags,
        params: CodeParams,
        response: { 200: StoreListSchema },
      },
    },
    async (request) => {
      const stores = await listStores(readDeps(app.protego), request.params.code);
      return { object: 'list' as const, data: stores.map(storeJson) };
    },
  );

  app.delete(
    '/partners/:code/stores/:external_id',
    { schema: { summary: 'Remove a store', tags, params: StoreParams, response: { 204: NoContent } } },
    async (request, reply) =>
      kit.write(request, reply, async (deps) => {
        await removeStore(deps, request.params.code, request.params.external_id);
        return { status: 204, body: null };
      }),
  );
}
