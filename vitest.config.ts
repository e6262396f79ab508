import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Measurements (test/measure) run only when asked for: npm run measure:outbox.
    include: process.env.PROTEGO_MEASURE ? ['test/measure/**/*.measure.ts'] : ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
