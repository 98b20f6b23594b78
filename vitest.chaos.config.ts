import { defineConfig } from 'vitest/config';
import base, { CHAOS_SERIES_TEST } from './vitest.config';

/**
 * The chaos series of `npm test` (tests/integration/chaos/chaos.test.ts), a step of its own after
 * the others: its few hundred runs need the machine to themselves to fit their budget.
 */
export default defineConfig({
  test: {
    ...base.test,
    include: [CHAOS_SERIES_TEST],
    exclude: base.test?.exclude?.filter((pattern) => pattern !== CHAOS_SERIES_TEST),
  },
});
