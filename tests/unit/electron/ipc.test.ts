import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { BRIDGE_EVENTS, BRIDGE_INVOKE } from '../../../src-shared/bridge/contract';
import type { CredentialStore } from '../../../src-main/core/credentials/credential-store';
import { BridgeError } from '../../../src-main/core/services/bridge-error';
import { HelpdeskService } from '../../../src-main/core/services/helpdesk-service';
import { fakeElectron } from './fake-electron';
import {
  clearingCachesOnSignOut,
  forwardEvents,
  isTrustedSender,
  registerBridge,
  type BridgeService,
} from '../../../src-main/electron/ipc';

// ipc.ts takes every Electron object as a parameter; this stand-in fails loudly if it ever
// reaches for the real module at runtime.
vi.mock('electron', () => {
  throw new Error('ipc.ts must not import electron at runtime');
});

/** A stand-in ipcMain that records what is registered. */
function fakeIpcMain() {
  const handlers = new Map<string, (event: any, ...args: any[]) => Promise<any>>();
  return {
    handlers,
    handle: vi.fn((channel: string, handler: any) => {
      if (handlers.has(channel)) throw new Error(`second handler for ${channel}`);
      handlers.set(channel, handler);
    }),
  };
}

function frame(url: string) {
  return { url };
}

/** An IpcMainInvokeEvent from a window whose main frame shows `url`. */
function eventFrom(url: string, options: { subframe?: boolean } = {}) {
  const mainFrame = frame(url);
  const senderFrame = options.subframe ? frame(url) : mainFrame;
  return { senderFrame, sender: { mainFrame } } as any;
}

function fakeService() {
  return { invoke: vi.fn(async (call: string, input: unknown) => ({ call, input })), on: vi.fn() };
}

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe('registerBridge', () => {
  it('registers exactly the contract calls, one channel each', () => {
    const ipcMain = fakeIpcMain();
    registerBridge(ipcMain as any, fakeService() as any);
    expect([...ipcMain.handlers.keys()].sort()).toEqual(
      Object.keys(BRIDGE_INVOKE)
        .map((call) => `helpdesk:invoke:${call}`)
        .sort(),
    );
  });

  it('passes a trusted sender through to service.invoke with the input', async () => {
    const ipcMain = fakeIpcMain();
    const service = fakeService();
    registerBridge(ipcMain as any, service as any);
    const input = { id: '0b5a7ad4-5d3e-4f6a-9c7e-1f2a3b4c5d6e' };
    const result = await ipcMain.handlers.get('helpdesk:invoke:getTicket')!(
      eventFrom('app://helpdesk/index.html'),
      input,
    );
    expect(service.invoke).toHaveBeenCalledExactlyOnceWith('getTicket', input);
    expect(result).toEqual({ ok: true, value: { call: 'getTicket', input } });
  });

  it.each([
    ['another origin', eventFrom('https://evil.example/')],
    ['another host on the app scheme', eventFrom('app://evil/')],
    ['credentials in the URL', eventFrom('app://user:pw@helpdesk/')],
    ['a file: page', eventFrom('file:///tmp/index.html')],
    ['a subframe of the app', eventFrom('app://helpdesk/', { subframe: true })],
    ['no frame (navigated away or destroyed)', { senderFrame: null, sender: { mainFrame: null } }],
  ])('refuses %s without calling the service', async (_name, event) => {
    const ipcMain = fakeIpcMain();
    const service = fakeService();
    registerBridge(ipcMain as any, service as any);
    const result = await ipcMain.handlers.get('helpdesk:invoke:listUsers')!(event, {});
    expect(result).toEqual({
      ok: false,
      error: { code: 'forbidden', message: 'Untrusted sender.' },
    });
    expect(service.invoke).not.toHaveBeenCalled();
  });

  it('runs the sender check before anything else', async () => {
    const ipcMain = fakeIpcMain();
    const service = fakeService();
    const check = vi.fn(() => false);
    registerBridge(ipcMain as any, service as any, check);
    const event = eventFrom('app://helpdesk/');
    await ipcMain.handlers.get('helpdesk:invoke:signIn')!(event, { password: 'x' });
    expect(check).toHaveBeenCalledWith(event);
    expect(service.invoke).not.toHaveBeenCalled();
  });

  it("answers invalid input with the real service's bad_request error", async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'helpdesk-ipc-'));
    dirs.push(dataDir);
    const credentials: CredentialStore = {
      get: async () => null,
      set: async () => {},
      delete: async () => false,
      list: async () => [],
    };
    const service = new HelpdeskService({ dataDir, credentials });
    const ipcMain = fakeIpcMain();
    registerBridge(ipcMain as any, service);
    const result = await ipcMain.handlers.get('helpdesk:invoke:getTicket')!(
      eventFrom('app://helpdesk/'),
      { id: 'not-a-uuid', extra: true },
    );
    expect(result).toEqual({
      ok: false,
      error: { code: 'bad_request', message: 'Invalid input for getTicket.' },
    });
    await service.close();
  });

  it('hides unexpected errors behind `internal`', async () => {
    const ipcMain = fakeIpcMain();
    const service = {
      invoke: vi.fn(async () => {
        throw new Error('SQLITE_CORRUPT at /home/me/secret/path');
      }),
      on: vi.fn(),
    };
    registerBridge(ipcMain as any, service as any);
    const handler = ipcMain.handlers.get('helpdesk:invoke:getSession')!;
    expect(await handler(eventFrom('app://helpdesk/'), {})).toEqual({
      ok: false,
      error: { code: 'internal', message: 'Something went wrong.' },
    });
    service.invoke.mockRejectedValueOnce(new BridgeError('not_signed_in', 'Please sign in first.'));
    expect(await handler(eventFrom('app://helpdesk/'), {})).toEqual({
      ok: false,
      error: { code: 'not_signed_in', message: 'Please sign in first.' },
    });
  });
});

describe('isTrustedSender', () => {
  it('trusts only the main frame on the app origin', () => {
    expect(isTrustedSender(eventFrom('app://helpdesk/'))).toBe(true);
    expect(isTrustedSender(eventFrom('app://helpdesk/#/tickets'))).toBe(true);
    expect(isTrustedSender(eventFrom('app://helpdesk.evil/'))).toBe(false);
    expect(isTrustedSender(eventFrom('http://helpdesk/'))).toBe(false);
    expect(isTrustedSender(eventFrom('app://helpdesk/', { subframe: true }))).toBe(false);
  });
});

describe('forwardEvents', () => {
  it('sends every contract event to the renderer until stopped', () => {
    const listeners = new Map<string, (payload: unknown) => void>();
    const unsubscribed: string[] = [];
    const service: BridgeService = {
      invoke: vi.fn() as any,
      on: ((event: string, listener: (payload: unknown) => void) => {
        listeners.set(event, listener);
        return () => unsubscribed.push(event);
      }) as any,
    };
    const webContents = { send: vi.fn(), isDestroyed: vi.fn(() => false) };
    const stop = forwardEvents(service, webContents as any);
    const events = Object.keys(BRIDGE_EVENTS).sort();
    expect(events).toEqual(expect.arrayContaining(['newWork', 'replicaChanged', 'syncStatus']));
    expect([...listeners.keys()].sort()).toEqual(events);

    listeners.get('replicaChanged')!({ ticketIds: ['t1'] });
    expect(webContents.send).toHaveBeenCalledWith('helpdesk:event:replicaChanged', {
      ticketIds: ['t1'],
    });

    webContents.isDestroyed.mockReturnValue(true);
    listeners.get('syncStatus')!({});
    expect(webContents.send).toHaveBeenCalledTimes(1);

    stop();
    expect(unsubscribed.sort()).toEqual(events);
  });
});

describe('clearingCachesOnSignOut', () => {
  function setUp(answer: () => Promise<unknown>) {
    const { defaultSession } = fakeElectron({ userData: tmpdir() }).electron.session;
    const service = { invoke: vi.fn(answer), on: vi.fn(() => () => undefined) };
    return {
      defaultSession,
      service,
      wrapped: clearingCachesOnSignOut(service as any, defaultSession),
    };
  }

  it('clears storage and the HTTP cache after a sign-out that signed out', async () => {
    const { defaultSession, service, wrapped } = setUp(async () => ({ status: 'signed-out' }));
    expect(await wrapped.invoke('signOut', { discardPending: true })).toEqual({
      status: 'signed-out',
    });
    expect(service.invoke).toHaveBeenCalledExactlyOnceWith('signOut', { discardPending: true });
    expect(defaultSession.clearStorageData).toHaveBeenCalledOnce();
    expect(defaultSession.clearCache).toHaveBeenCalledOnce();
  });

  it.each([
    [
      'a sign-out that found pending changes',
      'signOut',
      async () => ({ status: 'pending-changes', pending: 2 }),
    ],
    [
      'a sign-out that failed',
      'signOut',
      async () => Promise.reject(new BridgeError('not_signed_in', 'No.')),
    ],
    ['any other call', 'getSession', async () => null],
  ])('clears nothing after %s', async (_label, call, answer) => {
    const { defaultSession, wrapped } = setUp(answer);
    await wrapped.invoke(call as 'signOut', {}).catch(() => undefined);
    expect(defaultSession.clearStorageData).not.toHaveBeenCalled();
    expect(defaultSession.clearCache).not.toHaveBeenCalled();
  });

  it('passes event subscriptions through', () => {
    const { service, wrapped } = setUp(async () => null);
    const listener = vi.fn();
    wrapped.on('syncStatus', listener);
    expect(service.on).toHaveBeenCalledExactlyOnceWith('syncStatus', listener);
  });
});
