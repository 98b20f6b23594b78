import { spawn } from 'node:child_process';
import { mkdirSync, openSync, readFileSync } from 'node:fs';
import { get } from 'node:https';
import path from 'node:path';
import { DEMO } from './launch-plan';
import { previewCredentials } from './preview-credentials';
import type { PreviewOptions } from './preview-server';
import { PROJECT_ROOT } from './project';
import { RENDERER_DIR } from './renderer-build';

const HEALTH_TIMEOUT_MS = 60_000;

/** Whether the demo service answers its health check over TLS with its own CA. */
export function demoServiceHealthy(caFile: string): Promise<boolean> {
  let ca: string;
  try {
    ca = readFileSync(caFile, 'utf8');
  } catch {
    return Promise.resolve(false);
  }
  return new Promise((resolve) => {
    const request = get(`${DEMO.serverUrl}/api/v1/health`, { ca, timeout: 2000 }, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(false));
  });
}

/**
 * The demo service on https://127.0.0.1:8443, started in the background when it is not already
 * running; it outlives this command, so the next start finds it. Resolves to its CA file.
 */
export async function ensureDemoService(log: (line: string) => void): Promise<string> {
  const caFile = path.join(PROJECT_ROOT, DEMO.caFile);
  if (await demoServiceHealthy(caFile)) {
    log(`Using the demo service already running on ${DEMO.serverUrl}.`);
    return caFile;
  }

  const logFile = path.join(PROJECT_ROOT, DEMO.logFile);
  mkdirSync(path.dirname(logFile), { recursive: true });
  const output = openSync(logFile, 'a');
  const child = spawn(
    process.execPath,
    [path.join(PROJECT_ROOT, 'node_modules/tsx/dist/cli.mjs'), 'src-server/cli/start-demo.ts'],
    {
      cwd: PROJECT_ROOT,
      detached: true,
      stdio: ['ignore', output, output],
      env: { ...process.env, HELPDESK_PORT: '8443', HELPDESK_DATA_DIR: DEMO.dataDir },
    },
  );
  child.unref();
  log(`Starting the demo service in the background (pid ${child.pid}, log ${DEMO.logFile})…`);

  let exited: number | null = null;
  child.on('exit', (code) => (exited = code ?? 1));
  const deadline = Date.now() + HEALTH_TIMEOUT_MS;
  while (!(await demoServiceHealthy(caFile))) {
    if (exited !== null) {
      throw new Error(`The demo service stopped (exit code ${exited}); see ${DEMO.logFile}.`);
    }
    if (Date.now() > deadline) {
      throw new Error(
        `The demo service did not answer on ${DEMO.serverUrl} within ${HEALTH_TIMEOUT_MS / 1000} s; see ${DEMO.logFile}.`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  log(`Demo service running on ${DEMO.serverUrl} (stop it with: kill ${child.pid}).`);
  return caFile;
}

/**
 * The preview `npm start` and `npm run dev` open: against the demo service (its CA trusted, the
 * sign-in form filled in), its data in .data/preview. Says when no keychain answers.
 */
export async function demoPreviewOptions(
  caFile: string,
  log: (line: string) => void,
): Promise<PreviewOptions> {
  const credentials = await previewCredentials();
  if (credentials.notice) log(credentials.notice);
  return {
    rendererDir: RENDERER_DIR,
    dataDir: path.join(PROJECT_ROOT, '.data/preview'),
    credentials: credentials.store,
    trustedCa: readFileSync(caFile, 'utf8'),
    signInDefaults: { serverUrl: DEMO.serverUrl, tenant: DEMO.tenant, email: DEMO.email },
  };
}
