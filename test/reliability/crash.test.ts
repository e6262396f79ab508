import { describe, expect, it } from 'vitest';
import { BACKENDS } from '../helpers/database.js';
import { crashRun } from './crash-run.js';
import { report } from './report.js';

/** A handful of kills per engine here; `npm run reliability` runs the same story with 20 or more. */
const KILLS = Number(process.env.PROTEGO_CRASH_KILLS ?? 3);

describe.each(BACKENDS)('the server killed mid-traffic on %s', (engine) => {
  it(`${KILLS} SIGKILLs: no acknowledged policy lost or bound twice, every webhook delivered`, {
    timeout: 120_000 + KILLS * 30_000,
  }, async () => {
    const run = await crashRun({ engine, kills: KILLS });
    report('crash: SIGKILL mid-traffic', engine, {
      kills: run.kills,
      requests: run.requests,
      acknowledged: run.acknowledged,
      policies: run.policies,
      lost: run.lost,
      duplicated: run.duplicated,
      'webhooks missing': run.webhooksMissing,
    });
    expect(run.acknowledged).toBeGreaterThan(KILLS);
    expect(run).toMatchObject({ lost: 0, duplicated: 0, webhooksMissing: 0 });
  });
});
