import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/app.js';

const run = promisify(execFile);

/** The shell block between the walkthrough markers of README.md, exactly as a reader copies it. */
function walkthrough(): string {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const section = /<!-- walkthrough:start -->\s*```sh\n([\s\S]*?)```\s*<!-- walkthrough:end -->/.exec(readme);
  if (!section?.[1]) throw new Error('README.md has no walkthrough block');
  return section[1];
}

describe('the README walk-through', () => {
  let t: TestApp;
  let api: string;
  let dir: string;
  beforeAll(async () => {
    t = await buildTestApp();
    api = await t.listen();
    dir = mkdtempSync(join(tmpdir(), 'protego-walkthrough-'));
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('works as printed against a live server', async () => {
    const { stdout } = await run('bash', ['-euo', 'pipefail', '-c', walkthrough()], {
      cwd: dir,
      env: { ...process.env, API: api },
    });
    const lines = stdout.trim().split('\n');
    expect(lines.slice(0, 3)).toEqual([
      'refurbished-electronics, 12 months: 69900 SEK',
      'tech-insurance, 12 months: 49900 SEK',
      'tech-insurance, 24 months: 79900 SEK',
    ]);
    expect(lines[3]).toMatch(
      /^pol_[0-9a-z]{26} {2}active {2}69900 {2}2026-03-02T10:00:00\.000Z {2}2027-03-02T10:00:00\.000Z$/,
    );
    expect(lines[4]).toBe('cancelled  cooling_off  69900  active');
    expect(lines[5]).toMatch(/^pol_[0-9a-z]{26} {2}cancelled {2}refund 69900 SEK$/);
    expect(lines.slice(6)).toEqual(['bound: (new) -> active', 'cancelled: active -> cancelled']);
  });
});
