import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base, expect } from '@playwright/test';
import { KeytarCredentialStore } from '../../src-main/core/credentials/keytar-credential-store';
import { HelpdeskService } from '../../src-main/core/services/helpdesk-service';
import { startPreview, type PreviewServer } from '../../src-main/preview/preview-server';
import { App } from './support/app';
import { HostedService } from './support/hosted-service';
import { watchProblems } from './support/page-problems';
import { RENDERER_DIR } from './support/paths';

interface Fixtures {
  /** Records per page of the initial sync (the engine's default when unset). */
  snapshotPageSize: number | undefined;
  /** The demo service, for this test alone. */
  service: HostedService;
  /** The browser preview over a fresh data folder and its own keychain entries. */
  preview: PreviewServer;
  /** The app in the page, not signed in yet; the test fails on a console error or CSP violation. */
  app: App;
}

export const test = base.extend<Fixtures>({
  snapshotPageSize: [undefined, { option: true }],

  // eslint-disable-next-line no-empty-pattern -- Playwright reads the fixtures a fixture uses from its first parameter.
  service: async ({}, use) => {
    const service = await HostedService.start();
    await use(service);
    await service.dispose();
  },

  preview: async ({ snapshotPageSize }, use) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'helpdesk-e2e-desktop-'));
    const serviceSuffix = `e2e-${randomUUID()}`;
    // The preview makes its own core unless the engine needs tuning, which only a core made here
    // can have.
    const core = snapshotPageSize
      ? new HelpdeskService({
          dataDir,
          credentials: new KeytarCredentialStore({ serviceSuffix }),
          appInfo: { version: 'e2e', shell: 'preview', signInDefaults: null },
          engine: { snapshotPageSize },
        })
      : undefined;
    const preview = await startPreview({
      rendererDir: RENDERER_DIR,
      dataDir,
      credentialServiceSuffix: serviceSuffix,
      signInDefaults: null,
      ...(core ? { service: core } : {}),
    });
    await use(preview);
    await preview.close();
    await core?.close();
    rmSync(dataDir, { recursive: true, force: true });
  },

  app: async ({ page, preview, service }, use) => {
    const problems = await watchProblems(page);
    await use(new App(page, preview.url, service));
    expect(problems, 'console errors, uncaught exceptions or CSP violations').toEqual([]);
  },
});

export { expect };
