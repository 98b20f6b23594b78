import { defineConfig } from 'vitest/config';
import base from './vitest.config';

/** The service's tests again, on PostgreSQL: `npx vitest run --config vitest.pg.config.ts`. */
export default defineConfig({
  test: {
    ...base.test,
    include: ['tests/integration/server/**/*.test.ts'],
    globalSetup: ['tests/support/pg-global-setup.ts'],
  },
});
