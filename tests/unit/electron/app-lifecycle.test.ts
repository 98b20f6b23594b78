import { EventEmitter } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { HelpdeskService } from '../../../src-main/core/services/helpdesk-service';
import { DEFAULT_DEVICE_SETTINGS } from '../../../src-shared/bridge/device-settings';
import { startApp } from '../../../src-main/electron/app-lifecycle';
import { APP_SCHEME_PRIVILEGES } from '../../../src-main/electron/app-protocol';
import { BRIDGE_CALLS, invokeChannel } from '../../../src-main/electron/channels';
import { CONTENT_SECURITY_POLICY } from '../../../src-main/electron/security';
import { WINDOW_BACKGROUND } from '../../../src-main/electron/window-theme';
import { fakeElectron, type FakeElectron } from './fake-electron';

// app-lifecycle.ts gets Electron as a parameter; this stand-in fails loudly if it ever reaches for
// the real module at runtime.
vi.mock('electron', () => {
  throw new Error('app-lifecycle.ts must not import electron at runtime');
});

const DEV_ENV = {
  HELPDESK_DEV_URL: 'http://127.0.0.1:5173/',
  HELPDESK_DEMO_SERVER: 'https://127.0.0.1:8443',
  HELPDESK_DEMO_TENANT: 'acme',
  HELPDESK_DEMO_EMAIL: 'agent1@acme.test',
};

interface Launched {
  fake: FakeElectron;
  host: { env: Record<string, string>; platform: NodeJS.Platform; process: EventEmitter };
  userData: string;
  appPath: string;
}

const launched: Launched[] = [];
const dirs: string[] = [];

afterEach(async () => {
  // Quit every app (closing its service and stopping its network poll).
  for (const { fake } of launched.splice(0)) {
    fake.electron.app.emit('before-quit', { preventDefault: () => undefined });
    await vi.waitFor(() => expect(fake.electron.app.quit).toHaveBeenCalled());
  }
  vi.restoreAllMocks();
  dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true }));
});

function launch(
  options: {
    env?: Record<string, string>;
    platform?: NodeJS.Platform;
    isPackaged?: boolean;
    lock?: boolean;
  } = {},
): Launched {
  const base = mkdtempSync(path.join(tmpdir(), 'helpdesk-shell-'));
  dirs.push(base);
  const userData = path.join(base, 'userData');
  const appPath = path.join(base, 'app');
  mkdirSync(path.join(appPath, 'dist', 'renderer'), { recursive: true });
  writeFileSync(path.join(appPath, 'dist', 'renderer', 'index.html'), '<!doctype html>');
  const fake = fakeElectron({
    userData,
    appPath,
    isPackaged: options.isPackaged ?? false,
    lock: options.lock ?? true,
  });
  const host = {
    env: options.env ?? {},
    platform: options.platform ?? 'linux',
    process: new EventEmitter(),
  };
  startApp(fake.electron as any, host as any);
  const app: Launched = { fake, host, userData, appPath };
  launched.push(app);
  return app;
}

/** Emits ready and waits for the window (the last step of startup). */
async function ready(app: Launched) {
  app.fake.ready();
  await vi.waitFor(() => expect(app.fake.electron.BrowserWindow.instances).toHaveLength(1));
  return app.fake.electron.BrowserWindow.instances[0]!;
}

function handlers(app: Launched) {
  return new Map<string, (event: any, input: unknown) => Promise<any>>(
    app.fake.electron.ipcMain.handle.mock.calls as any,
  );
}

/** An IPC event from the main frame of a page at `url`. */
function eventFrom(url: string) {
  const mainFrame = { url };
  return { senderFrame: mainFrame, sender: { mainFrame } };
}

const preventable = () => ({ preventDefault: vi.fn() });

describe('single instance', () => {
  it('quits at once when another instance holds the lock, registering nothing', async () => {
    const app = launch({ lock: false });
    expect(app.fake.electron.app.quit).toHaveBeenCalledOnce();
    app.fake.ready();
    await Promise.resolve();
    expect(app.fake.electron.protocol.registerSchemesAsPrivileged).not.toHaveBeenCalled();
    expect(app.fake.electron.ipcMain.handle).not.toHaveBeenCalled();
    expect(app.fake.electron.BrowserWindow.instances).toHaveLength(0);
    expect(app.fake.electron.app.listenerCount('second-instance')).toBe(0);
  });

  it('a second instance brings the minimized window back and focuses it', async () => {
    const app = launch();
    const window = await ready(app);
    window.minimized = true;
    app.fake.electron.app.emit('second-instance', {}, ['helpdesk'], '/');
    expect(window.restore).toHaveBeenCalledOnce();
    expect(window.focus).toHaveBeenCalled();
    expect(app.fake.electron.BrowserWindow.instances).toHaveLength(1);
  });
});

describe('startup', () => {
  it('registers the app: scheme as privileged before ready, and nothing else yet', () => {
    const app = launch();
    expect(app.fake.electron.protocol.registerSchemesAsPrivileged).toHaveBeenCalledExactlyOnceWith(
      APP_SCHEME_PRIVILEGES,
    );
    expect(app.fake.electron.ipcMain.handle).not.toHaveBeenCalled();
    expect(app.fake.electron.BrowserWindow.instances).toHaveLength(0);
  });

  it("registers exactly the contract's channels and no other IPC listener", async () => {
    const app = launch();
    await ready(app);
    const { ipcMain } = app.fake.electron;
    expect(ipcMain.handle.mock.calls.map(([channel]) => channel).sort()).toEqual(
      BRIDGE_CALLS.map(invokeChannel).sort(),
    );
    for (const raw of [ipcMain.on, ipcMain.once, ipcMain.handleOnce, ipcMain.addListener]) {
      expect(raw).not.toHaveBeenCalled();
    }
  });

  it('opens one isolated, sandboxed window without Node, with the bundled preload', async () => {
    const app = launch();
    const window = await ready(app);
    expect(window.options.webPreferences).toEqual({
      preload: path.join(app.appPath, 'dist', 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      disableBlinkFeatures: 'Auxclick',
    });
    expect(window.options.show).toBe(false);
    window.emit('ready-to-show');
    expect(window.show).toHaveBeenCalled();
  });

  it('serves the renderer build on app:// with the CSP', async () => {
    const app = launch();
    await ready(app);
    const [scheme, handler] = app.fake.electron.protocol.handle.mock.calls[0]!;
    expect(scheme).toBe('app');
    const response: Response = await handler(new Request('app://helpdesk/'));
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('<!doctype html>');
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
  });

  it('sets the CSP on every response of the session and denies every permission', async () => {
    const app = launch();
    await ready(app);
    const { session } = app.fake;
    const callback = vi.fn();
    session.headersListener(
      { url: 'https://help.example.com/', responseHeaders: { 'content-security-policy': ['*'] } },
      callback,
    );
    expect(callback.mock.calls[0]![0].responseHeaders).toEqual({
      'Content-Security-Policy': [CONTENT_SECURITY_POLICY],
    });
    const decide = vi.fn();
    session.permissionRequest({}, 'notifications', decide, {});
    expect(decide).toHaveBeenCalledExactlyOnceWith(false);
    expect(session.permissionCheck({}, 'clipboard-read', 'app://helpdesk', {})).toBe(false);
  });

  it('keeps the replica under userData/data and installs the menu', async () => {
    const app = launch();
    await ready(app);
    expect(existsSync(path.join(app.userData, 'data'))).toBe(true);
    const { Menu } = app.fake.electron;
    expect(Menu.setApplicationMenu).toHaveBeenCalledExactlyOnceWith(
      Menu.buildFromTemplate.mock.results[0]!.value,
    );
  });
});

describe('the window', () => {
  it('cannot navigate off the app, open windows or attach a webview', async () => {
    const app = launch();
    const { webContents } = await ready(app);
    for (const url of ['https://evil.example/', 'http://127.0.0.1:5173/', 'file:///etc/passwd']) {
      const event = preventable();
      webContents.emit('will-navigate', event, url);
      expect(event.preventDefault, url).toHaveBeenCalled();
    }
    const inApp = preventable();
    webContents.emit('will-navigate', inApp, 'app://helpdesk/tickets');
    expect(inApp.preventDefault).not.toHaveBeenCalled();
    expect(webContents.windowOpenHandler!({ url: 'file:///etc/passwd' })).toEqual({
      action: 'deny',
    });
    expect(app.fake.electron.shell.openExternal).not.toHaveBeenCalled();
    // An https link (the billing processor's) opens in the OS browser, never in a window of ours.
    expect(webContents.windowOpenHandler!({ url: 'https://billing.example/portal' })).toEqual({
      action: 'deny',
    });
    expect(app.fake.electron.shell.openExternal).toHaveBeenCalledWith(
      'https://billing.example/portal',
    );
    const webview = preventable();
    webContents.emit('will-attach-webview', webview, {}, {});
    expect(webview.preventDefault).toHaveBeenCalled();
  });

  it('saves its size and place in userData/window-state.json when closed', async () => {
    const app = launch();
    const window = await ready(app);
    window.close();
    const saved = JSON.parse(readFileSync(path.join(app.userData, 'window-state.json'), 'utf8'));
    expect(saved).toEqual({ ...window.getNormalBounds(), maximized: false });
  });

  it('after a renderer crash offers to restart, and Restart relaunches the app', async () => {
    const app = launch();
    const { webContents } = await ready(app);
    webContents.emit('render-process-gone', {}, { reason: 'crashed', exitCode: 139 });
    const { dialog, app: electronApp } = app.fake.electron;
    expect(dialog.showMessageBox).toHaveBeenCalledExactlyOnceWith(
      expect.objectContaining({
        title: 'Help Desk stopped unexpectedly',
        buttons: ['Restart', 'Quit'],
        detail: expect.stringContaining(path.join(app.userData, 'logs', 'helpdesk.log')),
      }),
    );
    // The stand-in's message box answers its first button.
    await vi.waitFor(() => expect(electronApp.relaunch).toHaveBeenCalledOnce());
    expect(electronApp.quit).toHaveBeenCalled();
  });
});

describe('sign-out', () => {
  it("clears the window session's storage and HTTP cache once signed out, not before", async () => {
    const app = launch();
    await ready(app);
    const signOut = handlers(app).get(invokeChannel('signOut'))!;
    const { clearStorageData, clearCache } = app.fake.electron.session.defaultSession;
    // Nobody is signed in: the sign-out fails and the caches stay.
    expect(await signOut(eventFrom('app://helpdesk/'), {})).toMatchObject({
      ok: false,
      error: { code: 'not_signed_in' },
    });
    expect(clearStorageData).not.toHaveBeenCalled();
    expect(clearCache).not.toHaveBeenCalled();

    vi.spyOn(HelpdeskService.prototype, 'invoke').mockResolvedValueOnce({ status: 'signed-out' });
    expect(await signOut(eventFrom('app://helpdesk/'), {})).toEqual({
      ok: true,
      value: { status: 'signed-out' },
    });
    expect(clearStorageData).toHaveBeenCalledOnce();
    expect(clearCache).toHaveBeenCalledOnce();
  });
});

describe('packaged and development', () => {
  it('a packaged app loads app://helpdesk/ and ignores HELPDESK_DEV_URL and the demo settings', async () => {
    const app = launch({ isPackaged: true, env: DEV_ENV });
    const window = await ready(app);
    expect(window.loadURL).toHaveBeenCalledExactlyOnceWith('app://helpdesk/');
    const getAppInfo = handlers(app).get('helpdesk:invoke:getAppInfo')!;
    expect(await getAppInfo(eventFrom('app://helpdesk/'), {})).toEqual({
      ok: true,
      value: { version: '1.2.3', shell: 'electron', signInDefaults: null },
    });
    expect(await getAppInfo(eventFrom('http://127.0.0.1:5173/'), {})).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
  });

  it('an unpackaged app without HELPDESK_DEV_URL loads app://helpdesk/ too', async () => {
    const window = await ready(launch());
    expect(window.loadURL).toHaveBeenCalledExactlyOnceWith('app://helpdesk/');
  });

  it('in development loads the dev server and trusts its origin, and no other', async () => {
    const app = launch({ env: DEV_ENV });
    const window = await ready(app);
    expect(window.loadURL).toHaveBeenCalledExactlyOnceWith('http://127.0.0.1:5173/');
    const getAppInfo = handlers(app).get('helpdesk:invoke:getAppInfo')!;
    expect(await getAppInfo(eventFrom('http://127.0.0.1:5173/'), {})).toEqual({
      ok: true,
      value: {
        version: '1.2.3',
        shell: 'electron',
        signInDefaults: {
          serverUrl: 'https://127.0.0.1:8443',
          tenant: 'acme',
          email: 'agent1@acme.test',
        },
      },
    });
    for (const url of [
      'http://127.0.0.1:5174/',
      'http://localhost:5173/',
      'https://evil.example/',
    ]) {
      expect(await getAppInfo(eventFrom(url), {}), url).toMatchObject({ ok: false });
    }
    const toDev = preventable();
    window.webContents.emit('will-navigate', toDev, 'http://127.0.0.1:5173/tickets');
    expect(toDev.preventDefault).not.toHaveBeenCalled();
    const toEvil = preventable();
    window.webContents.emit('will-navigate', toEvil, 'https://evil.example/');
    expect(toEvil.preventDefault).toHaveBeenCalled();
  });
});

describe('quitting and platforms', () => {
  it('closing the last window quits, except on macOS where activate opens a new one', async () => {
    const linux = launch({ platform: 'linux' });
    (await ready(linux)).close();
    expect(linux.fake.electron.app.quit).toHaveBeenCalled();

    const mac = launch({ platform: 'darwin' });
    (await ready(mac)).close();
    expect(mac.fake.electron.app.quit).not.toHaveBeenCalled();
    mac.fake.electron.app.emit('activate');
    expect(mac.fake.electron.BrowserWindow.instances).toHaveLength(2);
  });

  it('before-quit closes the service once, then quits for real', async () => {
    const app = launch();
    await ready(app);
    const close = vi.spyOn(HelpdeskService.prototype, 'close');
    const { app: electronApp, powerMonitor } = app.fake.electron;
    expect(powerMonitor.listenerCount('resume')).toBe(1);
    const first = preventable();
    electronApp.emit('before-quit', first);
    const again = preventable();
    electronApp.emit('before-quit', again);
    expect(first.preventDefault).toHaveBeenCalled();
    expect(again.preventDefault).toHaveBeenCalled();
    await vi.waitFor(() => expect(electronApp.quit).toHaveBeenCalledOnce());
    expect(close).toHaveBeenCalledOnce();
    expect(powerMonitor.listenerCount('resume')).toBe(0);
    // The quit that follows the close goes through.
    const final = preventable();
    electronApp.emit('before-quit', final);
    expect(final.preventDefault).not.toHaveBeenCalled();
  });

  it('tells the service when the computer wakes up (the network is back)', async () => {
    const app = launch();
    await ready(app);
    const networkUp = vi.spyOn(HelpdeskService.prototype, 'networkUp');
    app.fake.electron.powerMonitor.emit('resume');
    expect(networkUp).toHaveBeenCalledOnce();
  });

  it("shows new work natively; a click opens the notice's ticket in the window", async () => {
    const on = vi.spyOn(HelpdeskService.prototype, 'on');
    const app = launch();
    const window = await ready(app);
    window.minimized = true;
    const notices = [
      { kind: 'assigned', ticketId: 't1', number: 7, subject: 'Printer jams' },
      { kind: 'needs-attention', itemId: 3, ticketId: null, problem: 'rejected' },
    ] as const;
    // What the service's emit does: every 'newWork' listener hears it.
    for (const [event, listener] of on.mock.calls)
      if (event === 'newWork') (listener as (p: unknown) => void)({ notices });
    const { Notification } = app.fake.electron;
    expect(Notification.instances.map((n) => n.options.title)).toEqual([
      'Ticket assigned to you',
      'A change needs your attention',
    ]);
    expect(window.webContents.send).toHaveBeenCalledWith('helpdesk:event:newWork', { notices });

    Notification.instances[0]!.emit('click');
    expect(window.isMinimized()).toBe(false);
    expect(window.webContents.send).toHaveBeenLastCalledWith('helpdesk:event:openTicket', {
      ticketId: 't1',
    });
    // A change not about a ticket: the window comes to the front, nothing more.
    Notification.instances[1]!.emit('click');
    expect(window.webContents.send).toHaveBeenCalledTimes(2);
  });

  it('an uncaught exception goes to the diagnostics log and the crash dialog, without its stack', async () => {
    const app = launch();
    await ready(app);
    app.host.process.emit('uncaughtException', new Error('disk on fire'));
    const [options] = app.fake.electron.dialog.showMessageBox.mock.calls[0]! as any[];
    expect(options.title).toBe('Help Desk stopped unexpectedly');
    expect(`${options.message} ${options.detail}`).not.toContain('disk on fire');
    expect(`${options.message} ${options.detail}`).not.toMatch(/\bat /);
    await vi.waitFor(() => expect(app.fake.electron.app.exit).toHaveBeenCalledWith(1));
    const log = readFileSync(path.join(app.userData, 'logs', 'helpdesk.log'), 'utf8');
    const line = log
      .trim()
      .split('\n')
      .map((text) => JSON.parse(text))
      .find((entry) => entry.event === 'crash.main-error');
    expect(line).toMatchObject({ event: 'crash.main-error', error: { message: 'disk on fire' } });
    expect(line.error.stack).toMatch(/\n\s+at /);
  });
});

describe('theme and notification choices', () => {
  it('starts in the stored theme (window background included) and follows a change made in the settings', async () => {
    const app = launch();
    mkdirSync(path.join(app.userData, 'data'), { recursive: true });
    writeFileSync(
      path.join(app.userData, 'data', 'device-settings.json'),
      JSON.stringify({ ...DEFAULT_DEVICE_SETTINGS, theme: 'dark' }),
    );
    const window = await ready(app);
    const { nativeTheme } = app.fake.electron;
    expect(nativeTheme.themeSource).toBe('dark');
    expect(window.options.backgroundColor).toBe(WINDOW_BACKGROUND.dark);

    const update = handlers(app).get(invokeChannel('updateDeviceSettings'))!;
    expect(await update(eventFrom('app://helpdesk/'), { theme: 'light' })).toMatchObject({
      ok: true,
      value: { theme: 'light' },
    });
    expect(nativeTheme.themeSource).toBe('light');
    expect(window.setBackgroundColor).toHaveBeenLastCalledWith(WINDOW_BACKGROUND.light);

    // System: the OS decides, and the background follows it when it changes.
    await update(eventFrom('app://helpdesk/'), { theme: 'system' });
    expect(nativeTheme.themeSource).toBe('system');
    nativeTheme.osDark = true;
    nativeTheme.emit('updated');
    expect(window.setBackgroundColor).toHaveBeenLastCalledWith(WINDOW_BACKGROUND.dark);
  });

  it('shows no desktop notification when they are off or in a do-not-disturb time; the window still hears of the work', async () => {
    const on = vi.spyOn(HelpdeskService.prototype, 'on');
    const app = launch();
    const window = await ready(app);
    const update = handlers(app).get(invokeChannel('updateDeviceSettings'))!;
    const notices = [{ kind: 'assigned', ticketId: 't1', number: 7, subject: 'Printer jams' }];
    const newWork = () => {
      for (const [event, listener] of on.mock.calls)
        if (event === 'newWork') (listener as (p: unknown) => void)({ notices });
    };
    const { Notification } = app.fake.electron;

    await update(eventFrom('app://helpdesk/'), { notifications: { desktop: false } });
    newWork();
    const quietUntil = new Date(Date.now() + 60 * 60_000).toISOString();
    await update(eventFrom('app://helpdesk/'), { notifications: { desktop: true, quietUntil } });
    newWork();
    expect(Notification.instances).toHaveLength(0);
    expect(window.webContents.send).toHaveBeenCalledTimes(2);

    await update(eventFrom('app://helpdesk/'), { notifications: { quietUntil: null } });
    newWork();
    expect(Notification.instances.map((n) => n.options.title)).toEqual(['Ticket assigned to you']);
  });
});

describe('updates', () => {
  const checkItem = (app: Launched) => {
    const template = app.fake.electron.Menu.buildFromTemplate.mock.calls[0]![0] as any[];
    const help = template.find((item) => item.role === 'help');
    return help.submenu.find((item: any) => item.label === 'Check for Updates…');
  };

  it('Help › Check for Updates… says what it found: a development build does not update', async () => {
    const app = launch();
    await ready(app);
    checkItem(app).click();
    await vi.waitFor(() =>
      expect(app.fake.electron.dialog.showMessageBox).toHaveBeenCalledWith(
        expect.objectContaining({
          message: 'Development builds do not update themselves.',
          buttons: ['OK'],
        }),
      ),
    );
  });

  it('a packaged app that its installer updates (no AppImage, no package type) says so', async () => {
    const app = launch({ isPackaged: true });
    await ready(app);
    const status = await handlers(app).get(invokeChannel('getUpdateStatus'))!(
      eventFrom('app://helpdesk/'),
      {},
    );
    expect(status).toEqual({
      ok: true,
      value: {
        currentVersion: '1.2.3',
        autoDownload: true,
        lastCheckedAt: null,
        update: {
          state: 'unsupported',
          reason: 'This installation of Help Desk is updated by whatever installed it.',
        },
      },
    });
  });
});
