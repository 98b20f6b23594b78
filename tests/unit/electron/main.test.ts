import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { BRIDGE_CALLS, invokeChannel } from '../../../src-main/electron/channels';
import type { FakeElectron } from './fake-electron';

// main.ts is the bundle's entry: importing it starts the app with the stand-in 'electron'.
vi.mock('electron', async () => {
  const { mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const path = await import('node:path');
  const { fakeElectron } = await import('./fake-electron');
  const fake = fakeElectron({
    userData: mkdtempSync(path.join(tmpdir(), 'helpdesk-main-')),
    isPackaged: true,
  });
  return { ...fake.electron, fake };
});

const processEvents = ['uncaughtException', 'unhandledRejection'];
const before = new Map<string, unknown[]>(
  processEvents.map((name) => [name, process.listeners(name as 'uncaughtException')]),
);
let fake: FakeElectron;

afterAll(async () => {
  fake.electron.app.emit('before-quit', { preventDefault: () => undefined });
  await vi.waitFor(() => expect(fake.electron.app.quit).toHaveBeenCalled());
  // main.ts installed the fatal-error handlers on this (vitest's) process: take them off again.
  for (const name of processEvents) {
    for (const listener of process.listeners(name as 'uncaughtException')) {
      if (!before.get(name)!.includes(listener)) process.off(name, listener);
    }
  }
  rmSync(fake.electron.app.getPath('userData'), { recursive: true, force: true });
});

describe('main.ts', () => {
  it('starts the app: lock, privileges, then on ready the bridge and one window', async () => {
    await import('../../../src-main/electron/main');
    fake = ((await import('electron')) as unknown as { fake: FakeElectron }).fake;
    const { app, ipcMain, protocol, BrowserWindow } = fake.electron;
    expect(app.requestSingleInstanceLock).toHaveBeenCalledOnce();
    expect(protocol.registerSchemesAsPrivileged).toHaveBeenCalledOnce();
    expect(process.listeners('uncaughtException').length).toBe(
      before.get('uncaughtException')!.length + 1,
    );

    fake.ready();
    await vi.waitFor(() => expect(BrowserWindow.instances).toHaveLength(1));
    expect(ipcMain.handle.mock.calls.map(([channel]) => channel).sort()).toEqual(
      BRIDGE_CALLS.map(invokeChannel).sort(),
    );
    expect(BrowserWindow.instances[0]!.loadURL).toHaveBeenCalledExactlyOnceWith('app://helpdesk/');
    expect(BrowserWindow.instances[0]!.options.webPreferences).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
    });
  });
});
