import { EventEmitter } from 'node:events';
import { vi } from 'vitest';

/**
 * A stand-in for the parts of 'electron' the shell uses (the binary cannot run here). It records
 * what the shell asks for and, like Electron, emits app 'web-contents-created' for every window.
 */

export interface FakeElectronOptions {
  userData: string;
  appPath?: string;
  lock?: boolean;
  isPackaged?: boolean;
  workAreas?: { x: number; y: number; width: number; height: number }[];
}

export class FakeWebContents extends EventEmitter {
  send = vi.fn();
  reload = vi.fn();
  destroyed = false;
  windowOpenHandler: ((details: { url: string }) => unknown) | undefined;
  readonly mainFrame: { url: string } = { url: '' };
  isDestroyed = () => this.destroyed;
  setWindowOpenHandler(handler: (details: { url: string }) => unknown) {
    this.windowOpenHandler = handler;
  }
}

export function fakeElectron(options: FakeElectronOptions) {
  let markReady!: () => void;
  const readyPromise = new Promise<void>((resolve) => (markReady = resolve));

  const app = Object.assign(new EventEmitter(), {
    isPackaged: options.isPackaged ?? false,
    requestSingleInstanceLock: vi.fn(() => options.lock ?? true),
    quit: vi.fn(),
    exit: vi.fn(),
    relaunch: vi.fn(),
    isReady: vi.fn(() => true),
    getPath: (name: string) => {
      if (name !== 'userData') throw new Error(`unexpected getPath(${name})`);
      return options.userData;
    },
    getAppPath: () => options.appPath ?? '/opt/helpdesk/resources/app.asar',
    getVersion: () => '1.2.3',
    whenReady: () => readyPromise,
    setAboutPanelOptions: vi.fn(),
  });

  class FakeBrowserWindow extends EventEmitter {
    static instances: FakeBrowserWindow[] = [];
    static getAllWindows = () => FakeBrowserWindow.instances.filter((w) => !w.closed);
    readonly webContents = new FakeWebContents();
    closed = false;
    minimized = false;
    maximized = false;
    loadURL = vi.fn(async (url: string) => {
      this.webContents.mainFrame.url = url;
    });
    show = vi.fn();
    focus = vi.fn();
    restore = vi.fn(() => (this.minimized = false));
    maximize = vi.fn(() => (this.maximized = true));
    setBackgroundColor = vi.fn();
    isMinimized = () => this.minimized;
    isMaximized = () => this.maximized;
    getNormalBounds = () => {
      const { x, y, width, height } = this.options;
      return { x, y, width, height };
    };
    constructor(readonly options: any) {
      super();
      FakeBrowserWindow.instances.push(this);
      app.emit('web-contents-created', {}, this.webContents);
    }
    /** What closing the window does: 'close', then 'closed', then maybe 'window-all-closed'. */
    close() {
      this.emit('close', { preventDefault: vi.fn() });
      this.closed = true;
      this.webContents.destroyed = true;
      this.emit('closed');
      if (FakeBrowserWindow.getAllWindows().length === 0) app.emit('window-all-closed');
    }
  }

  class FakeNotification extends EventEmitter {
    static instances: FakeNotification[] = [];
    static isSupported = () => true;
    show = vi.fn();
    constructor(readonly options: { title?: string; body?: string }) {
      super();
      FakeNotification.instances.push(this);
    }
  }

  const session = {
    headersListener: undefined as any,
    permissionRequest: undefined as any,
    permissionCheck: undefined as any,
  };
  const defaultSession = {
    webRequest: { onHeadersReceived: (listener: any) => (session.headersListener = listener) },
    setPermissionRequestHandler: (handler: any) => (session.permissionRequest = handler),
    setPermissionCheckHandler: (handler: any) => (session.permissionCheck = handler),
    clearStorageData: vi.fn(async () => undefined),
    clearCache: vi.fn(async () => undefined),
  };

  /** Like Electron's: the OS is light until a test says otherwise; a `themeSource` wins over it. */
  class FakeNativeTheme extends EventEmitter {
    osDark = false;
    private source: 'system' | 'light' | 'dark' = 'system';
    get themeSource() {
      return this.source;
    }
    set themeSource(source: 'system' | 'light' | 'dark') {
      this.source = source;
      this.emit('updated');
    }
    get shouldUseDarkColors() {
      return this.source === 'system' ? this.osDark : this.source === 'dark';
    }
  }
  const nativeTheme = new FakeNativeTheme();

  const workAreas = options.workAreas ?? [{ x: 0, y: 0, width: 1920, height: 1040 }];
  return {
    ready: () => markReady(),
    session,
    electron: {
      app,
      BrowserWindow: FakeBrowserWindow,
      Notification: FakeNotification,
      ipcMain: {
        handle: vi.fn(),
        handleOnce: vi.fn(),
        on: vi.fn(),
        once: vi.fn(),
        addListener: vi.fn(),
      },
      protocol: { registerSchemesAsPrivileged: vi.fn(), handle: vi.fn() },
      session: { defaultSession },
      Menu: {
        buildFromTemplate: vi.fn((template: unknown) => ({ template })),
        setApplicationMenu: vi.fn(),
      },
      screen: {
        getAllDisplays: () => workAreas.map((workArea) => ({ workArea })),
        getPrimaryDisplay: () => ({ workArea: workAreas[0]! }),
      },
      dialog: {
        showErrorBox: vi.fn(),
        showMessageBox: vi.fn(async (_options: unknown) => ({
          response: 0,
          checkboxChecked: false,
        })),
      },
      nativeTheme,
      net: { isOnline: vi.fn(() => true) },
      shell: { openExternal: vi.fn(() => Promise.resolve()) },
      powerMonitor: new EventEmitter(),
    },
  };
}

export type FakeElectron = ReturnType<typeof fakeElectron>;
