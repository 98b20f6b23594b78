import path from 'node:path';

/**
 * What `npm start` and `npm run dev` decide, as pure functions: which shell to open, what to build
 * first, what to say and what to tell Electron.
 */

/** The local demo service `npm start` runs (src-server/cli/start-demo.ts) and who signs in to it. */
export const DEMO = {
  serverUrl: 'https://127.0.0.1:8443',
  dataDir: '.data/demo',
  /** Where the demo service writes its development CA (src-server/tls/dev-certificates.ts). */
  caFile: '.data/demo/tls/ca.pem',
  logFile: '.data/demo/service.log',
  tenant: 'acme',
  email: 'agent1@acme.test',
  password: 'demo-password-1',
} as const;

export const ELECTRON_MISSING =
  "Electron's binary is not installed on this machine (it is downloaded from GitHub at install time; " +
  'on a machine with internet run: node node_modules/electron/install.js). Opening the browser preview instead.';

export type Launch = { shell: 'electron'; binary: string } | { shell: 'preview'; notice: string };

/** What the electron package's install step left behind (node_modules/electron). */
export interface ElectronInstall {
  packageDir: string;
  /** The contents of its path.txt (the binary's path inside dist/), null when it has none. */
  pathTxt: string | null;
  /** ELECTRON_OVERRIDE_DIST_PATH, which the package honours instead of its own dist/. */
  overrideDist?: string;
}

/**
 * The Electron binary's path, or null when it was never downloaded. The same lookup as the
 * package's main module, which cannot be used here: on a missing binary it tries to download it.
 */
export function findElectronBinary(
  install: ElectronInstall,
  exists: (file: string) => boolean,
): string | null {
  const relative = install.pathTxt?.trim();
  const binary = install.overrideDist
    ? path.join(install.overrideDist, relative || 'electron')
    : relative
      ? path.join(install.packageDir, 'dist', relative)
      : null;
  return binary && exists(binary) ? binary : null;
}

export function chooseLaunch(electronBinary: string | null): Launch {
  return electronBinary
    ? { shell: 'electron', binary: electronBinary }
    : { shell: 'preview', notice: ELECTRON_MISSING };
}

/**
 * The npm script that builds what the launch needs: the whole app (renderer, preload, main) for
 * Electron, the renderer alone for the preview. Null when the project has no such script.
 */
export function buildScriptFor(
  launch: Launch,
  scripts: Readonly<Record<string, string>>,
): string | null {
  const wanted = launch.shell === 'electron' ? ['build', 'build:renderer'] : ['build:renderer'];
  return wanted.find((name) => name in scripts) ?? null;
}

/** The environment through which the Electron main process learns where the demo runs. */
export function demoEnvironment(caPath: string): Record<string, string> {
  return {
    HELPDESK_DEMO_SERVER: DEMO.serverUrl,
    HELPDESK_DEMO_CA: caPath,
    HELPDESK_DEMO_TENANT: DEMO.tenant,
    HELPDESK_DEMO_EMAIL: DEMO.email,
  };
}

/** Whether the renderer build is missing or older than its newest source file. */
export function rendererBuildIsStale(builtAt: number | null, newestSourceAt: number): boolean {
  return builtAt === null || builtAt < newestSourceAt;
}

/** What a person reads once the preview runs: where to open it, and how to sign in to the demo. */
export function previewBanner(url: string, demo: boolean): string[] {
  return [
    `Help desk preview: ${url}`,
    ...(demo
      ? [`Sign in as ${DEMO.email} (tenant ${DEMO.tenant}) with the password ${DEMO.password}`]
      : []),
    'Press Ctrl+C to stop.',
  ];
}
