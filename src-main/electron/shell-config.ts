import type { AppInfo } from '../../src-shared/bridge/contract';
import { APP_URL, isAppUrl } from './security';

/** What the environment may change about the shell; nothing at all in a packaged app. */
export interface ShellConfig {
  /** What the window loads: app://helpdesk/, or the Vite dev server when developing. */
  rendererUrl: string;
  /** The dev server's origin (trusted like the app's own), or null: always null when packaged. */
  devOrigin: string | null;
  /** What the sign-in form starts with (the local demo service started by `npm start`). */
  signInDefaults: AppInfo['signInDefaults'];
  /** A PEM file of an extra CA to trust (the demo service's), or null. */
  demoCaFile: string | null;
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Reads HELPDESK_DEV_URL and HELPDESK_DEMO_* for development only. A packaged app ignores them
 * all: it never loads the renderer over http, nor trusts a CA named by an environment variable.
 */
export function readShellConfig(env: Env, isPackaged: boolean): ShellConfig {
  if (isPackaged) {
    return { rendererUrl: APP_URL, devOrigin: null, signInDefaults: null, demoCaFile: null };
  }
  const devUrl = nonEmpty(env['HELPDESK_DEV_URL']);
  const devOrigin = devUrl === null ? null : loopbackDevOrigin(devUrl);
  const serverUrl = nonEmpty(env['HELPDESK_DEMO_SERVER']);
  return {
    rendererUrl: devOrigin === null ? APP_URL : `${devOrigin}/`,
    devOrigin,
    signInDefaults:
      serverUrl === null
        ? null
        : {
            serverUrl,
            tenant: env['HELPDESK_DEMO_TENANT'] ?? '',
            email: env['HELPDESK_DEMO_EMAIL'] ?? '',
          },
    demoCaFile: nonEmpty(env['HELPDESK_DEMO_CA']),
  };
}

function nonEmpty(value: string | undefined): string | null {
  return value === undefined || value.trim() === '' ? null : value.trim();
}

/** The origin of an http://127.0.0.1:PORT dev server; anything else is refused loudly. */
function loopbackDevOrigin(value: string): string {
  let url: URL | null = null;
  try {
    url = new URL(value);
  } catch {
    // reported below
  }
  if (
    !url ||
    url.protocol !== 'http:' ||
    url.hostname !== '127.0.0.1' ||
    url.port === '' ||
    url.username !== '' ||
    url.password !== ''
  ) {
    throw new Error(`HELPDESK_DEV_URL must look like http://127.0.0.1:5173/, not ${value}.`);
  }
  return url.origin;
}

/** Whether a URL belongs to the renderer: the app's origin, or the dev server's in development. */
export function rendererUrlCheck(devOrigin: string | null): (url: string) => boolean {
  if (devOrigin === null) return isAppUrl;
  return (url) => isAppUrl(url) || originOf(url) === devOrigin;
}

function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}
