import { defineConfig } from 'vitest/config';

/** Runs as a step of its own, after the others (vitest.chaos.config.ts). */
export const CHAOS_SERIES_TEST = 'tests/integration/chaos/chaos.test.ts';

export default defineConfig({
  test: {
    environment: 'node',
    include: ['tests/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'tests/e2e/**', 'tests/bench/**', CHAOS_SERIES_TEST],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
