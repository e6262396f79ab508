import { readFileSync } from 'node:fs';

/** Prints what `npm run reliability` found (see report.ts) as one Markdown table per check. */
const file = process.argv[2] ?? 'test-results/reliability.jsonl';
const rows = readFileSync(file, 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((line) => JSON.parse(line) as Record<string, string | number>);
const checks = [...new Set(rows.map((r) => String(r.check)))];
for (const check of checks) {
  const mine = rows.filter((r) => r.check === check);
  const columns = [...new Set(mine.flatMap((r) => Object.keys(r)))].filter((c) => c !== 'check');
  console.log(`\n${check}\n`);
  console.log(`| ${columns.join(' | ')} |`);
  console.log(`| ${columns.map(() => '---').join(' | ')} |`);
  for (const r of mine) console.log(`| ${columns.map((c) => r[c] ?? '').join(' | ')} |`);
}
