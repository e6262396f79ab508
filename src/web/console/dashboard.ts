import { CLAIM_STATUSES } from '../../core/claims/claim.js';
import { dailyFigures, windowStart } from '../../core/console/dashboard.js';
import { toMajorNumber } from '../../core/money.js';
import type { Mode } from '../../core/partners/partner.js';
import type { StatementEvent } from '../../core/statements/statement-event.js';
import type { ConsoleContext } from './context.js';
import { page } from './render.js';
import { partnersOf } from './scope.js';

const DAYS = 30;
const OPEN_CLAIMS = CLAIM_STATUSES.filter((s) => s === 'submitted' || s === 'in_review' || s === 'approved');

export async function dashboardPages(ctx: ConsoleContext): Promise<void> {
  const { app } = ctx;
  const repos = app.protego.db.read;

  app.get<{ Querystring: { mode?: string } }>('/', { schema: { hide: true } }, async (request, reply) => {
    const user = request.consoleUser!;
    const mode: Mode = request.query.mode === 'test' ? 'test' : 'live';
    const now = app.protego.clock.now();
    const from = windowStart(now, DAYS);
    const partners = await partnersOf(repos, user);
    const period = {
      from,
      to: new Date(from.getTime() + DAYS * 86_400_000),
      types: ['bound', 'cancelled', 'voided'] as const,
    };
    const events: StatementEvent[] = [];
    for (const p of partners) {
      await repos.policies.eventsInPeriod({ partnerId: p.id, mode }, period, (batch) =>
        events.push(...batch),
      );
    }
    const days = dailyFigures(events, from, DAYS);
    const openClaims = (
      await Promise.all(
        OPEN_CLAIMS.map((status) =>
          repos.claims.listAll({
            status,
            mode,
            limit: 1000,
            ...(user.partnerId ? { partnerId: user.partnerId } : {}),
          }),
        ),
      )
    ).flat().length;
    const currencies = [...new Set(days.flatMap((d) => Object.keys(d.premium)))].sort();
    const totals = {
      written: days.reduce((n, d) => n + d.written, 0),
      cancellations: days.reduce((n, d) => n + d.cancellations, 0),
      premium: currencies.map((currency) => ({
        currency,
        amount: days.reduce((n, d) => n + (d.premium[currency] ?? 0), 0),
      })),
      openClaims,
    };
    return page(ctx, request, reply, 'dashboard', {
      title: 'Dashboard',
      mode,
      days,
      totals,
      // Read by the chart script from a data attribute: no inline script under the CSP.
      chartData: JSON.stringify({
        currencies,
        days: days.map((d) => ({
          ...d,
          premium: Object.fromEntries(currencies.map((c) => [c, toMajorNumber(d.premium[c] ?? 0, c)])),
        })),
      }),
    });
  });
}
