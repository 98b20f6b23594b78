/**
 * The app's main process, for the benchmark's UI step: `tsx tests/bench/client/preview-process.ts
 * CONFIG.json` resumes the session of a synced data folder in a process of its own (as the app
 * does when it starts), serves the browser preview and writes `preview: URL` to stdout once the
 * core is idle. It runs until SIGTERM. The process that drives Chromium is another one, so that
 * neither the harness nor what an earlier step left behind competes with what is measured.
 */
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { HelpdeskService } from '../../../src-main/core/services/helpdesk-service';
import { startPreview } from '../../../src-main/preview/preview-server';
import { MemoryCredentialStore } from '../../../src-main/preview/preview-credentials';
import type { Account, ServiceAddress } from './bench-client';

export interface PreviewConfig {
  service: ServiceAddress;
  account: Account;
  dataDir: string;
  rendererDir: string;
}

async function waitForIdle(service: HelpdeskService): Promise<void> {
  let lastState = '';
  for (let tries = 0; tries < 600; tries++) {
    const { status } = await service.invoke('getSyncStatus', {});
    if (status.state !== lastState) process.stderr.write(`state ${JSON.stringify(status)}\n`);
    lastState = status.state;
    if (status.state === 'idle') return;
    if (status.state === 'error' || status.state === 'needs-sign-in')
      throw new Error(`the preview's core cannot sync: ${JSON.stringify(status)}`);
    await sleep(100);
  }
  throw new Error('the preview core did not finish its sync in 60 s');
}

const say = (line: string) => process.stderr.write(`${line}\n`);

async function main(): Promise<void> {
  const config = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as PreviewConfig;
  const started = performance.now();
  const since = () => `${Math.round(performance.now() - started)} ms`;
  // The refresh token lives in memory here, so each start signs in again: through the app's own
  // sign-in, which keeps the replica and outbox of an account it holds (BenchClient's would lay a
  // new, empty replica over the synced one).
  const service = new HelpdeskService({
    dataDir: config.dataDir,
    credentials: new MemoryCredentialStore(),
    appInfo: { version: '0.0.0-bench', shell: 'preview', signInDefaults: null },
  });
  await service.invoke('signIn', {
    serverUrl: config.service.url,
    caCertificate: config.service.ca,
    ...config.account,
  });
  say(`signed in at ${since()}`);
  await waitForIdle(service);
  say(`idle at ${since()}`);
  const preview = await startPreview({
    rendererDir: config.rendererDir,
    dataDir: config.dataDir,
    service,
  });
  process.once('SIGTERM', () => {
    void preview
      .close()
      .then(() => service.close())
      .then(() => process.exit(0));
  });
  process.stdout.write(`preview: ${preview.url}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
