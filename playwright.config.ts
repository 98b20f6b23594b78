// End-to-end tests: the built renderer in Chromium, over the browser preview's loopback bridge, to
// the real core services and a real hosted service (tests/e2e). `npm test` runs them inside a
// private keychain session and sets the reporters on the command line.
import { existsSync } from 'node:fs';
import { defineConfig } from '@playwright/test';

const SYSTEM_CHROMIUM = '/usr/bin/chromium';

export default defineConfig({
  testDir: 'tests/e2e',
  testMatch: '**/*.spec.ts',
  outputDir: 'test-results/e2e',
  globalSetup: './tests/e2e/global-setup.ts',
  // One hosted service and one core per test, on two cores: one test at a time.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  forbidOnly: true,
  // Generous: axe scans and sign-ins slow down a lot when the machine is busy.
  timeout: 120_000,
  // A budget for the whole suite (35+ scenarios, about 8 min on an idle 2-core machine).
  globalTimeout: 30 * 60_000,
  expect: { timeout: 10_000 },
  reporter: 'list',
  use: {
    browserName: 'chromium',
    headless: true,
    viewport: { width: 1280, height: 800 },
    screenshot: 'only-on-failure',
    launchOptions: {
      ...(existsSync(SYSTEM_CHROMIUM) ? { executablePath: SYSTEM_CHROMIUM } : {}),
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
      ],
    },
  },
});
