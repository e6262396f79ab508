import { Type } from 'typebox';
import { notFound } from '../../core/errors.js';
import { partnerStatement } from '../../core/statements/partner-statement.js';
import { type App, readDeps } from '../context.js';
import type { Kit } from '../kit/api.js';
import { FormatQuery, StatementResponses, sendStatement } from '../statement-output.js';

// The month is checked by the core (parseMonth), which says what a month looks like; a bare schema
// pattern would answer with the regular expression instead.
const MonthParams = Type.Object(
  {
    month: Type.String({
      maxLength: 20,
      description: 'YYYY-MM, a calendar month in UTC',
      examples: ['2026-10'],
    }),
  },
  { additionalProperties: false },
);

export async function statementRoutes(app: App, _kit: Kit): Promise<void> {
  app.get(
    '/statements/:month',
    {
      schema: {
        summary: 'Your statement for a month',
        description:
          'Premiums written (policies bound in the month), refunds (cancellations and voids in the month), net, taxes per tax, commission and what is due to the insurer, per currency, in the mode of the key. Derived from the policy history: a closed month always gives the same figures. `Accept: text/csv` or `?format=csv` gives CSV, one row per currency.',
        tags: ['statements'],
        params: MonthParams,
        querystring: FormatQuery,
        response: StatementResponses,
      },
    },
    async (request, reply) => {
      const deps = readDeps(app.protego);
      const statement = await partnerStatement(deps, request.tenant, request.params.month, 'params:month');
      const partner = await deps.repos.partners.getById(request.tenant.partnerId);
      if (!partner) throw notFound('partner');
      return sendStatement(request, reply, statement, partner.code);
    },
  );
}
