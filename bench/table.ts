/** One line of the bench's table: a figure, the ceiling it is compared with, and its target. */
export interface Figure {
  figure: string;
  engine: 'PGlite' | 'PostgreSQL' | '';
  /** What was measured, in words: `242 req/s, p50 3 ms, p99 9 ms`. */
  measured: string;
  /** The ceiling of the same run, in words, or `` when the target is absolute. */
  ceiling: string;
  ratio: number | null;
  target: string;
  met: boolean;
  /** The numbers behind the words, for the JSON file. */
  data: Record<string, unknown>;
}

const ratioText = (r: number | null) => (r === null ? '' : r.toFixed(3));

export function markdownTable(figures: Figure[]): string {
  const rows = figures.map(
    (f) =>
      `| ${f.figure} | ${f.engine} | ${f.measured} | ${f.ceiling} | ${ratioText(f.ratio)} | ${f.target} | ${f.met ? 'met' : '**not met**'} |`,
  );
  return [
    '| figure | engine | measured | ceiling (same run) | ratio | target | |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

export function consoleTable(figures: Figure[]): string {
  const cells = figures.map((f) => [
    f.figure,
    f.engine,
    f.measured,
    f.ceiling,
    ratioText(f.ratio),
    f.target,
    f.met ? 'met' : 'NOT MET',
  ]);
  const head = ['figure', 'engine', 'measured', 'ceiling', 'ratio', 'target', ''];
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => c.map((x, i) => x.padEnd(widths[i]!)).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}
