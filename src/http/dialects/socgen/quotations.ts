import { CoreError } from '../../../core/errors.js';
import { keepUnderAlias } from '../../../core/records/keep-record.js';
import { requireSolution } from '../../../core/solutions/manage-solutions.js';
import type { App } from '../../context.js';
import type { Kit } from '../../kit/api.js';
import { insuranceJson, priceItem, requireItem } from './items.js';
import { InsuranceQuotationRequest, InsuranceQuotationResponse } from './schemas.js';
import { termOf } from './wire.js';

export const QUOTE = 'socgen_quote';

/** What a quotation keeps beside its offer, for the subscription that names it. */
export interface QuoteData {
  solutionCode: string;
  itemId: string;
  insuranceId: string;
  optionId: string;
}

/**
 * `POST /quotations`: one insurance of the solution for the item at its price, priced as an offer that
 * holds until `expirationDate` and can be subscribed once.
 */
export async function quotationRoutes(app: App, kit: Kit): Promise<void> {
  app.post(
    '/quotations',
    {
      schema: {
        summary: 'Quote an insurance for an item at its price',
        tags: ['socgen'],
        body: InsuranceQuotationRequest,
        response: { 201: InsuranceQuotationResponse },
      },
    },
    async (request, reply) =>
      kit.write(request, reply, async (deps) => {
        const b = request.body;
        const s = await requireSolution(deps, request.tenant, b.solutionCode, 'solutionCode');
        const data = await requireItem(deps, request.tenant, b.itemId);
        const itemId = b.itemId.toLowerCase();
        const term = termOf(b.insuranceId);
        const { offer, options } = await priceItem(
          deps,
          request.tenant,
          s,
          { id: itemId, data, price: b.itemPrice, priceField: 'itemPrice' },
          true,
        );
        const option = options.find((o) => o.termMonths === term);
        if (!option) {
          const offered = options.map((o) => `${o.termMonths}M`).join(', ') || 'none';
          throw new CoreError(
            'not_eligible',
            `insurance ${b.insuranceId} of ${s.solution.code} is not offered for this item at this price (offered: ${offered})`,
            [{ field: 'insuranceId', message: `one of: ${offered}` }],
          );
        }
        const quoteId = deps.ids.uuid().toLowerCase();
        const quote: QuoteData = {
          solutionCode: s.solution.code,
          itemId,
          insuranceId: b.insuranceId,
          optionId: option.id,
        };
        await keepUnderAlias(deps, request.tenant, {
          kind: QUOTE,
          alias: quoteId,
          targetId: offer.id,
          ref: itemId,
          data: { ...quote },
        });
        return {
          status: 201,
          body: {
            quoteId,
            insurancePrice: insuranceJson(s, option).price,
            itemPrice: b.itemPrice,
            expirationDate: offer.expiresAt.toISOString(),
          },
        };
      }),
  );
}
