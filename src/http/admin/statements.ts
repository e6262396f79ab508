import { Type } from 'typebox';
import { requirePartner } from '../../core/partners/manage-partners.js';
import { partnerStatement } from '../../core/statements/partner-statement.js';
import { type App, readDeps } from '../context.js';
import type { Kit } from '../kit/api.js';
import { FormatQuery, StatementResponses, sendStatement } from '../statement-output.js';
import { ModeQuery } from './schemas.js';

const strict = { additionalProperties: false } as const;
const Params = Type.Object(
  {
    code: Type.String({ minLength: 1, maxLength: 63 }),
    // Checked by the core, which answers with what a month looks like.
    month: Type.String({
      maxLength: 20,
      description: 'YYYY-MM, a calendar month in UTC',
      examples: ['2026-10'],
    }),
  },
  strict,
);
const Query = Type.Object({ ...ModeQuery.properties, ...FormatQuery.properties }, strict);

/** The operator's copy of a partner's statement, in either mode. */
export async function adminStatementRoutes(app: App, _kit: Kit): Promise<void> {
  app.get(
    '/partners/:code/statements/:month',
    {
      schema: {
        summary: "A partner's statement for a month",
        description:
          'The same statement the partner gets from GET /v1/statements/{month}, for live data unless `mode=test`. `Accept: text/csv` or `?format=csv` gives CSV.',
        tags: ['admin: partners'],
        params: Params,
        querystring: Query,
        response: StatementResponses,
      },
    },
    async (request, reply) => {
      const deps = readDeps(app.protego);
      const partner = await requirePartner(deps, request.params.code);
      const tenant = { partnerId: partner.id, mode: request.query.mode };
      const statement = await partnerStatement(deps, tenant, request.params.month, 'params:month');
      return sendStatement(request, reply, statement, partner.code);
    },
  );
}
