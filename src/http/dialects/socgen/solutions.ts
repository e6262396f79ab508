import { displayContent } from '../../../core/catalog/display.js';
import { type SolutionInUse, solutionsIn } from '../../../core/solutions/manage-solutions.js';
import type { App } from '../../context.js';
import type { Kit } from '../../kit/api.js';
import { EligibleQuery, SolutionsDTO } from './schemas.js';

/**
 * A solution's communication kit, from the product's display content for its market and language:
 * title, icon, additional information, conditions, notice and terms links. The two fields 1.1.0
 * requires are empty text when the catalog has nothing for them.
 */
export function visuals({ product, market }: SolutionInUse) {
  const d = displayContent(product, market.country, market.language);
  return {
    visualTitle: d.title,
    visualInformationIcon: d.iconUrl ?? '',
    visualAdditionalInformation: d.description ?? '',
    ...(d.conditionsUrl ? { visualLegalText: d.conditionsUrl } : {}),
    ...(d.iconUrl ? { visualLogo: d.iconUrl } : {}),
    ...(d.noticeUrl ? { visualInformationNoticeURL: d.noticeUrl } : {}),
    ...(d.termsUrl ? { visualProductTermsURL: d.termsUrl } : {}),
  };
}

/** `GET /eligible-solutions`: the partner's solutions for the buyer's country; none is `{}`, as 1.1.0 says. */
export async function solutionRoutes(app: App, kit: Kit): Promise<void> {
  app.get(
    '/eligible-solutions',
    {
      schema: {
        summary: "The partner's solutions for a buyer's billing country, with their communication kit",
        tags: ['socgen'],
        querystring: EligibleQuery,
        response: { 200: SolutionsDTO },
      },
    },
    async (request) => {
      const found = await solutionsIn(kit.read, request.tenant, request.query.buyerBillingCountry);
      if (found.length === 0) return {};
      return {
        solutions: found.map((s) => {
          const d = displayContent(s.product, s.market.country, s.market.language);
          return {
            solutionCode: s.solution.code,
            familyCode: 'CI',
            marketCode: s.market.country,
            conditions: d.conditionsUrl ?? d.termsUrl ?? '',
            communicationKit: { solutionCode: s.solution.code, ...visuals(s) },
          };
        }),
      };
    },
  );
}
