import type { Clock } from '../core/clock.js';
import { isCoreError } from '../core/errors.js';
import { ulidIds } from '../core/ids.js';
import { partnerStatement } from '../core/statements/partner-statement.js';
import { parseMonth } from '../core/statements/period.js';
import type { Database } from '../storage/database.js';
import { statementCsv, statementJson } from '../wire/statement.js';

export interface StatementArgs {
  partner?: string | undefined;
  month?: string | undefined;
  mode?: string | undefined;
  csv?: boolean | undefined;
}

/** Where a command writes: its result (stdout) and what went wrong (stderr). */
export interface Output {
  out(text: string): void;
  err(text: string): void;
}

/**
 * `protego statement --partner <code> --month YYYY-MM [--mode live|test] [--csv]`: the statement the
 * APIs give, as JSON or CSV on stdout. Live by default, as statements are for settling real money.
 * Returns the exit code: 2 for a usage mistake (bad month, unknown partner), told on stderr.
 */
export async function statementCommand(
  db: Database,
  clock: Clock,
  args: StatementArgs,
  io: Output,
): Promise<number> {
  const refuse = (problems: string[]) => {
    for (const p of problems) io.err(`protego statement: ${p}`);
    return 2;
  };
  const mode = args.mode ?? 'live';
  const problems = [
    ...(args.partner ? [] : ['--partner <code> is required (protego partners lists them)']),
    ...(args.month ? [] : ['--month YYYY-MM is required']),
    ...(mode === 'live' || mode === 'test' ? [] : [`--mode must be live or test, not "${mode}"`]),
  ];
  if (problems.length > 0) return refuse(problems);
  try {
    parseMonth(args.month!, '--month');
  } catch (error) {
    if (!isCoreError(error)) throw error;
    return refuse([error.message]);
  }
  const partner = await db.read.partners.getByCode(args.partner!);
  if (!partner) return refuse([`unknown partner "${args.partner}" (protego partners lists them)`]);
  const deps = { repos: db.read, clock, ids: ulidIds(clock) };
  const tenant = { partnerId: partner.id, mode: mode as 'live' | 'test' };
  const statement = await partnerStatement(deps, tenant, args.month!, '--month');
  io.out(
    args.csv
      ? statementCsv(statement, partner.code)
      : `${JSON.stringify(statementJson(statement, partner.code), null, 2)}\n`,
  );
  return 0;
}
