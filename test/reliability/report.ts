import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * What a reliability test found, one JSON line each, when `npm run reliability` asks for it
 * (PROTEGO_RELIABILITY_REPORT names the file); `table.ts` prints them as the README's table.
 */
export function report(check: string, engine: string, figures: Record<string, number>): void {
  const file = process.env.PROTEGO_RELIABILITY_REPORT;
  if (!file) return;
  mkdirSync(dirname(file), { recursive: true });
  appendFileSync(file, `${JSON.stringify({ check, engine, ...figures })}\n`);
}
