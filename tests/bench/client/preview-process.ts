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
import { BenchClient, type Account, type ServiceAddress } from './bench-client';

export interface PreviewConfig {
  service: ServiceAddress;
  account: Account;
  dataDir: string;
  rendererDir: string;
}

async function waitForIdle(service: HelpdeskService): Promise<void> {
  for (let tries = 0; tries < 600; tries++) {
    const { status } = await service.invoke('getSyncStatus', {});
    if (status.state === 'idle') return;
    if (status.state === 'error' || status.state === 'needs-sign-in')
      throw new Error(`the preview's core cannot sync: ${JSON.stringify(status)}`);
    await sleep(100);
  }
  throw new Error('the preview core did not finish its sync in 60 s');
}

async function main(): Promise<void> {
  const config = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as PreviewConfig;
  // The refresh token lives in memory (MemoryCredentialStore): a sign-in puts one there for the
  // data folder's session, which the service below then resumes.
  const signedIn = await BenchClient.signIn(config.service, config.account, config.dataDir);
  await signedIn.close();
  const service = new HelpdeskService({
    dataDir: config.dataDir,
    credentials: signedIn.credentials,
    appInfo: { version: '0.0.0-bench', shell: 'preview', signInDefaults: null },
  });
  if (!(await service.restore())) throw new Error('no session to resume in the data folder');
  await waitForIdle(service);
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
