import type { FastifyReply, FastifyRequest } from 'fastify';
import { invalid, isCoreError } from '../../core/errors.js';
import type { Mode } from '../../core/partners/partner.js';
import { partnerStatement } from '../../core/statements/partner-statement.js';
import { statementCsv } from '../../wire/statement.js';
import type { ConsoleContext } from './context.js';
import { page, statusOf } from './render.js';
import { partnersOf } from './scope.js';

type Query = { partner?: string; month?: string; mode?: string };

/** What a partner owes per month, as the API and CLI give it, and the same as CSV. */
export async function statementPages(ctx: ConsoleContext): Promise<void> {
  const { app } = ctx;
  const services = app.protego;
  const repos = services.db.read;
  const deps = () => ({ repos, clock: services.clock, ids: services.ids });

  async function statementFor(request: FastifyRequest<{ Querystring: Query }>) {
    const partners = await partnersOf(repos, request.consoleUser!);
    const q = request.query;
    const month = q.month ?? services.clock.now().toISOString().slice(0, 7);
    const mode: Mode = q.mode === 'test' ? 'test' : 'live';
    const partner =
      partners.find((p) => p.code === q.partner) ?? (partners.length === 1 ? partners[0] : undefined);
    const statement = partner
      ? await partnerStatement(deps(), { partnerId: partner.id, mode }, month, 'month')
      : undefined;
    return { partners, partner, month, mode, statement };
  }

  app.get<{ Querystring: Query }>(
    '/statements',
    { schema: { hide: true } },
    async (request, reply: FastifyReply) => {
      try {
        const found = await statementFor(request);
        return page(ctx, request, reply, 'statements', { title: 'Statements', ...found, error: '' });
      } catch (error) {
        if (!isCoreError(error)) throw error;
        const partners = await partnersOf(repos, request.consoleUser!);
        return page(
          ctx,
          request,
          reply,
          'statements',
          {
            title: 'Statements',
            partners,
            month: request.query.month ?? '',
            mode: 'live',
            error: error.message,
          },
          statusOf(error),
        );
      }
    },
  );

  app.get<{ Querystring: Query }>('/statements.csv', { schema: { hide: true } }, async (request, reply) => {
    const { partner, statement, month, mode } = await statementFor(request);
    if (!partner || !statement) throw invalid('partner', 'choose a partner');
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="statement-${partner.code}-${month}-${mode}.csv"`)
      .send(statementCsv(statement, partner.code));
  });
}
