// Runs sandboxed: it may import only 'electron' (esbuild bundles the rest into dist/preload.cjs).
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type {
  BridgeCall,
  BridgeEvent,
  BridgeEventPayload,
  BridgeInput,
  BridgeOutput,
  HelpdeskBridge,
} from '../../src-shared/bridge/contract';
import { eventChannel, invokeChannel, isBridgeEvent, type IpcResult } from './channels';

/**
 * Rejects with the main process's error. contextBridge copies only an Error's message, so the
 * code travels in it: `[code] message` (the `code` property is there too, for same-world callers).
 */
async function invoke<C extends BridgeCall>(
  call: C,
  input: BridgeInput<C>,
): Promise<BridgeOutput<C>> {
  const result = (await ipcRenderer.invoke(invokeChannel(call), input)) as IpcResult<
    BridgeOutput<C>
  >;
  if (result.ok) return result.value;
  throw Object.assign(new Error(`[${result.error.code}] ${result.error.message}`), {
    code: result.error.code,
  });
}

const bridge = {
  getAppInfo: (input) => invoke('getAppInfo', input),
  signIn: (input) => invoke('signIn', input),
  signOut: (input) => invoke('signOut', input),
  getSession: (input) => invoke('getSession', input),
  getSyncStatus: (input) => invoke('getSyncStatus', input),
  syncNow: (input) => invoke('syncNow', input),
  listTickets: (input) => invoke('listTickets', input),
  searchTickets: (input) => invoke('searchTickets', input),
  getTicket: (input) => invoke('getTicket', input),
  mutate: (input) => invoke('mutate', input),
  undo: (input) => invoke('undo', input),
  listNeedsAttention: (input) => invoke('listNeedsAttention', input),
  resolveNeedsAttention: (input) => invoke('resolveNeedsAttention', input),
  listUsers: (input) => invoke('listUsers', input),
  listContacts: (input) => invoke('listContacts', input),
  getProfile: (input) => invoke('getProfile', input),
  getCompany: (input) => invoke('getCompany', input),
  getPreferences: (input) => invoke('getPreferences', input),
  listLoginHistory: (input) => invoke('listLoginHistory', input),
  on<E extends BridgeEvent>(event: E, listener: (payload: BridgeEventPayload<E>) => void) {
    if (!isBridgeEvent(event)) throw new Error(`Unknown event ${String(event)}.`);
    if (typeof listener !== 'function') throw new Error('The listener must be a function.');
    const channel = eventChannel(event);
    // The renderer gets the payload only, never the IpcRendererEvent (it holds `sender`).
    const forward = (_event: IpcRendererEvent, payload: BridgeEventPayload<E>) => listener(payload);
    ipcRenderer.on(channel, forward);
    return () => {
      ipcRenderer.removeListener(channel, forward);
    };
  },
} satisfies HelpdeskBridge;

contextBridge.exposeInMainWorld('helpdesk', bridge);
