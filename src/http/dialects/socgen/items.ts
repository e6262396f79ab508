import { displayContent } from '../../../core/catalog/display.js';
import { notFound } from '../../../core/errors.js';
import { createOffer } from '../../../core/offers/create-offer.js';
import type { OfferOption } from '../../../core/offers/offer.js';
import type { Tenant } from '../../../core/partners/partner.js';
import type { CoreDeps } from '../../../core/ports.js';
import { registerItem } from '../../../core/records/register-item.js';
import { requireSolution, type SolutionInUse } from '../../../core/solutions/manage-solutions.js';
import type { App } from '../../context.js';
import type { Kit } from '../../kit/api.js';
import {
  CreateItemRequest,
  CreateItemResponse,
  NoContent,
  SearchItemInsuranceRequest,
  SearchItemInsuranceResponse,
} from './schemas.js';
import { visuals } from './solutions.js';
import { duration, type ItemData, insuranceId, insuredItem, major, minor } from './wire.js';

const ITEM = 'socgen_item';

export async function requireItem(deps: CoreDeps, tenant: Tenant, itemId: string): Promise<ItemData> {
  const record = await deps.repos.dialectRecords.get(tenant, ITEM, itemId.toLowerCase());
  if (!record) throw notFound(`item ${itemId}`, 'itemId');
  return record.data as unknown as ItemData;
}

/**
 * The solution's options for an item at a price: each term of its product the item is eligible for,
 * priced in the market's currency. With `store`, the offer is kept so a quotation can be subscribed.
 */
export async function priceItem(
  deps: CoreDeps,
  tenant: Tenant,
  s: SolutionInUse,
  item: { id: string; data: ItemData; price: number; priceField: string },
  store: boolean,
) {
  const price = {
    amount: minor(item.price, s.market.currency, item.priceField),
    currency: s.market.currency,
  };
  const offer = await createOffer(deps, tenant, {
    country: s.market.country,
    items: [{ ref: item.id, item: insuredItem(item.data, price), quantity: 1 }],
    refs: { itemId: item.id, solutionCode: s.solution.code },
    store,
  });
  const options = offer.items[0]!.options.filter((o) => o.productCode === s.product.code);
  return { offer, options };
}

export function insuranceJson(s: SolutionInUse, option: OfferOption) {
  const title = displayContent(s.product, s.market.country, s.market.language).title;
  return {
    id: insuranceId(option.termMonths),
    price: major({ amount: option.unitPremium.total, currency: option.unitPremium.currency }),
    description: `${title} ${duration(option.termMonths, s.market.language)}`,
  };
}

/** Items (`POST /items`) and the insurances one can get (`POST /items/_search-insurances`). */
export async function itemRoutes(app: App, kit: Kit): Promise<void> {
  app.post(
    '/items',
    {
      schema: {
        summary: 'Create an item: the same characteristics give the same id',
        description:
          'The identity rule: every field but solutionCode, exactly as sent (case and spaces count), ' +
          'names the item, per partner and mode. Describing it again answers the same id; any field ' +
          'that differs makes another item.',
        tags: ['socgen'],
        body: CreateItemRequest,
        response: { 201: CreateItemResponse },
      },
    },
    async (request, reply) =>
      kit.write(request, reply, async (deps) => {
        const { solutionCode, ...item } = request.body;
        await requireSolution(deps, request.tenant, solutionCode, 'solutionCode');
        const { record } = await registerItem(deps, request.tenant, ITEM, item);
        return { status: 201, body: { id: record.handle } };
      }),
  );

  app.post(
    '/items/_search-insurances',
    {
      schema: {
        summary: "The solution's insurances for an item at a price; none is a 204",
        tags: ['socgen'],
        body: SearchItemInsuranceRequest,
        response: { 200: SearchItemInsuranceResponse, 204: NoContent },
      },
    },
    async (request, reply) => {
      const { solutionCode, itemId, price } = request.body;
      const s = await requireSolution(kit.read, request.tenant, solutionCode, 'solutionCode');
      const data = await requireItem(kit.read, request.tenant, itemId);
      const id = itemId.toLowerCase();
      const { options } = await priceItem(
        kit.read,
        request.tenant,
        s,
        { id, data, price, priceField: 'price' },
        false,
      );
      if (options.length === 0) return reply.code(204).send(null);
      return {
        itemId: id,
        solutionCode: s.solution.code,
        ...visuals(s),
        insurances: options.map((o) => insuranceJson(s, o)),
      };
    },
  );
}
