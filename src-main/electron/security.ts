import type { App, Session } from 'electron';
import { CONTENT_SECURITY_POLICY } from '../../src-shared/bridge/content-security-policy';

/** The renderer is served from this custom scheme and host (never http in production). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'helpdesk';
export const APP_URL = `${APP_SCHEME}://${APP_HOST}/`;

export { CONTENT_SECURITY_POLICY };

/**
 * Whether a URL is on the app's own origin. Compared by scheme and host: WHATWG URL gives a
 * non-special scheme such as app: the opaque origin 'null', so `.origin` cannot be used.
 */
export function isAppUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return (
      parsed.protocol === `${APP_SCHEME}:` &&
      parsed.host === APP_HOST &&
      parsed.username === '' &&
      parsed.password === ''
    );
  } catch {
    return false;
  }
}

/**
 * CSP on every response (replacing any the response had) and every permission request denied.
 * The one exception is `devOrigin`, the loopback dev server of `npm run dev` (never set in a
 * packaged app): its responses keep the dev server's own policy, which allows Vite's hot reload,
 * and get the strict one only if they carry none.
 */
export function applySessionSecurity(
  session: Pick<
    Session,
    'webRequest' | 'setPermissionRequestHandler' | 'setPermissionCheckHandler'
  >,
  devOrigin: string | null = null,
): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    const fromDevServer = devOrigin !== null && originOf(details.url) === devOrigin;
    const responseHeaders: Record<string, string[]> = {};
    let policy: string[] | null = null;
    for (const [name, value] of Object.entries(details.responseHeaders ?? {})) {
      if (name.toLowerCase() === 'content-security-policy') policy = value;
      else responseHeaders[name] = value;
    }
    responseHeaders['Content-Security-Policy'] =
      fromDevServer && policy !== null && policy.length > 0 ? policy : [CONTENT_SECURITY_POLICY];
    callback({ responseHeaders });
  });
  session.setPermissionRequestHandler((_webContents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}

function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/**
 * A link the renderer may hand to the OS browser (such as the billing processor's page): https
 * only, without credentials in it. Anything else (file:, javascript:, custom schemes that would
 * start other programs) is never passed to `shell.openExternal`.
 */
export function externalWebUrl(url: string): string | null {
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'https:' || parsed.username !== '' || parsed.password !== '')
      return null;
    return parsed.href;
  } catch {
    return null;
  }
}

/**
 * For every web contents the app creates: no webview, no navigation or redirect off the
 * renderer's origin (the app's own unless a dev server is allowed), no new windows: an https link
 * opened as a new window goes to the OS browser instead. As Actual's
 * packages/desktop-electron/security.ts.
 */
export function applyAppSecurity(
  app: Pick<App, 'on'>,
  isRendererUrl: (url: string) => boolean = isAppUrl,
  openExternal: (url: string) => void = () => undefined,
): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.on('will-navigate', (event, url) => {
      if (!isRendererUrl(url)) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (!isRendererUrl(url)) event.preventDefault();
    });
    contents.setWindowOpenHandler(({ url }) => {
      const external = externalWebUrl(url);
      if (external !== null) openExternal(external);
      return { action: 'deny' };
    });
  });
}
