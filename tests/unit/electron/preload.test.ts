import { beforeAll, describe, expect, it, vi } from 'vitest';
import { BRIDGE_INVOKE } from '../../../src-shared/bridge/contract';

// A stand-in 'electron' for the preload: records what is exposed and what goes over IPC.
const electron = vi.hoisted(() => {
  const listeners = new Map<string, Set<(...args: any[]) => void>>();
  return {
    listeners,
    exposed: new Map<string, any>(),
    ipcRenderer: {
      invoke: vi.fn(async (_channel: string, _input: unknown): Promise<unknown> => ({
        ok: true,
        value: null,
      })),
      on: vi.fn((channel: string, listener: (...args: any[]) => void) => {
        if (!listeners.has(channel)) listeners.set(channel, new Set());
        listeners.get(channel)!.add(listener);
      }),
      removeListener: vi.fn((channel: string, listener: (...args: any[]) => void) => {
        listeners.get(channel)?.delete(listener);
      }),
    },
    /** What the main process's webContents.send would do. */
    emit(channel: string, payload: unknown) {
      const event = { sender: 'the-ipc-renderer', senderId: 0 };
      for (const listener of listeners.get(channel) ?? []) listener(event, payload);
    },
  };
});

vi.mock('electron', () => ({
  contextBridge: {
    exposeInMainWorld: (key: string, api: unknown) => electron.exposed.set(key, api),
  },
  ipcRenderer: electron.ipcRenderer,
}));

let helpdesk: any;
beforeAll(async () => {
  await import('../../../src-main/electron/preload');
  helpdesk = electron.exposed.get('helpdesk');
});

describe('preload', () => {
  it("exposes exactly one key, 'helpdesk', with the contract's calls plus on", () => {
    expect([...electron.exposed.keys()]).toEqual(['helpdesk']);
    expect(Object.keys(helpdesk).sort()).toEqual([...Object.keys(BRIDGE_INVOKE), 'on'].sort());
    for (const value of Object.values(helpdesk)) expect(typeof value).toBe('function');
  });

  it('invokes the call’s own channel and resolves with the value', async () => {
    electron.ipcRenderer.invoke.mockResolvedValueOnce({ ok: true, value: { tickets: [] } });
    await expect(helpdesk.listTickets({ view: 'mine' })).resolves.toEqual({ tickets: [] });
    expect(electron.ipcRenderer.invoke).toHaveBeenLastCalledWith('helpdesk:invoke:listTickets', {
      view: 'mine',
    });
  });

  it('rejects with the code in the message (contextBridge keeps only the message)', async () => {
    electron.ipcRenderer.invoke.mockResolvedValueOnce({
      ok: false,
      error: { code: 'bad_request', message: 'Invalid input for getTicket.' },
    });
    await expect(helpdesk.getTicket({ id: 'x' })).rejects.toMatchObject({
      message: '[bad_request] Invalid input for getTicket.',
      code: 'bad_request',
    });
  });

  it('delivers event payloads only, and unsubscribe removes only that listener', () => {
    const first = vi.fn();
    const second = vi.fn();
    const stopFirst = helpdesk.on('replicaChanged', first);
    helpdesk.on('replicaChanged', second);

    electron.emit('helpdesk:event:replicaChanged', { ticketIds: null });
    expect(first).toHaveBeenCalledExactlyOnceWith({ ticketIds: null });
    expect(second).toHaveBeenCalledExactlyOnceWith({ ticketIds: null });

    stopFirst();
    electron.emit('helpdesk:event:replicaChanged', { ticketIds: ['a'] });
    expect(first).toHaveBeenCalledTimes(1);
    expect(second).toHaveBeenLastCalledWith({ ticketIds: ['a'] });
    expect(second.mock.calls.every((args) => args.length === 1)).toBe(true);
  });

  it('refuses unknown events instead of opening an arbitrary channel', () => {
    expect(() => helpdesk.on('toString', vi.fn())).toThrow(/Unknown event/);
    expect(() => helpdesk.on('helpdesk:invoke:signIn', vi.fn())).toThrow(/Unknown event/);
    expect(electron.ipcRenderer.on).not.toHaveBeenCalledWith(
      expect.not.stringMatching(/^helpdesk:event:/),
      expect.anything(),
    );
  });
});
