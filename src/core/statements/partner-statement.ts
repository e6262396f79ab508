import type { Tenant } from '../partners/partner.js';
import type { CoreDeps } from '../ports.js';
import { statementTally } from './derive-statement.js';
import { parseMonth } from './period.js';
import type { Statement } from './statement.js';
import { STATEMENT_EVENT_TYPES } from './statement-event.js';

/**
 * A partner's statement for a calendar month (`YYYY-MM`, UTC) in the tenant's mode. `field` names the
 * month in the caller's words when it is not a month (`params:month`, `--month`).
 */
export async function partnerStatement(
  deps: CoreDeps,
  tenant: Tenant,
  month: string,
  field = 'month',
): Promise<Statement> {
  const period = parseMonth(month, field);
  const tally = statementTally(period);
  // Batch by batch: the month's events are never all in memory at once.
  await deps.repos.policies.eventsInPeriod(
    tenant,
    { from: period.start, to: period.end, types: STATEMENT_EVENT_TYPES },
    (batch) => tally.add(batch),
  );
  return tally.statement({
    partnerId: tenant.partnerId,
    mode: tenant.mode,
    period,
    generatedAt: deps.clock.now(),
  });
}
