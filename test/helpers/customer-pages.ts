import { mkdirSync } from 'node:fs';
import axe from 'axe-core';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

/**
 * Runs axe-core in the page and fails on any serious or critical violation. axe is evaluated through
 * the DevTools protocol, which the pages' CSP (no inline scripts) does not govern.
 */
export async function expectAccessible(page: Page): Promise<void> {
  await page.evaluate(axe.source);
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(): Promise<{ violations: AxeViolation[] }> } }).axe;
    return (await axe.run()).violations;
  });
  const grave = violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} at ${JSON.stringify(v.nodes.map((n) => n.target))}`);
  expect(grave, `${page.url()}`).toEqual([]);
}

/** Runs a browser test and, when it fails, keeps a screenshot of the page under test-results/. */
export async function withScreenshot(page: Page, name: string, test: () => Promise<void>): Promise<void> {
  try {
    await test();
  } catch (error) {
    mkdirSync('test-results', { recursive: true });
    await page.screenshot({ path: `test-results/${name}-failed.png`, fullPage: true }).catch(() => {});
    throw error;
  }
}
