import { mkdirSync } from 'node:fs';
import axe from 'axe-core';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/** Runs axe-core in the page: no serious or critical violation, each named with its nodes when there is one. */
export async function expectAccessible(page: Page, name = 'the page'): Promise<void> {
  // Injected through the DevTools protocol, so the page's CSP (no inline script) does not block it.
  await page.evaluate(axe.source);
  const results = (await page.evaluate("axe.run(document, { resultTypes: ['violations'] })")) as {
    violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[];
  };
  const bad = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) => `${v.impact} ${v.id}: ${v.help} at ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`,
    );
  expect(bad, `accessibility of ${name} (${page.url()})`).toEqual([]);
}

/** Runs a browser step; when it fails, a screenshot of the page is kept under test-results/ before the failure goes on. */
export async function withScreenshot<T>(page: Page, name: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    mkdirSync('test-results', { recursive: true });
    await page
      .screenshot({ path: `test-results/${name.replace(/[^\w-]+/g, '-')}.png`, fullPage: true })
      .catch(() => undefined);
    throw error;
  }
}
