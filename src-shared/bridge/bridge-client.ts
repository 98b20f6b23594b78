import type {
  BridgeCall,
  BridgeEvent,
  BridgeEventPayload,
  BridgeInput,
  BridgeOutput,
  HelpdeskBridge,
} from './contract';

/**
 * The renderer side of the bridge, shared by its two transports (the Electron preload over IPC and
 * the browser preview over loopback HTTP). Type-only import of the contract, so a bundle of this
 * file carries no zod; `satisfies` makes each name list exactly the contract's keys (a missing or
 * extra name is a type error), and tests compare them with the contract at runtime.
 */
const CALLS = {
  getAppInfo: true,
  signIn: true,
  signOut: true,
  getSession: true,
  listAccounts: true,
  switchAccount: true,
  addAccount: true,
  getSyncStatus: true,
  syncNow: true,
  listTickets: true,
  searchTickets: true,
  getTicket: true,
  mutate: true,
  undo: true,
  listNeedsAttention: true,
  resolveNeedsAttention: true,
  listUsers: true,
  listContacts: true,
  getProfile: true,
  getCompany: true,
  getPreferences: true,
  changeEmail: true,
  changePassword: true,
  exportMyData: true,
  listLoginHistory: true,
  listMacros: true,
  applyMacro: true,
  openAttachment: true,
  mutateMany: true,
  listHeldReplies: true,
  resolveHeldReply: true,
  getDraft: true,
  saveDraft: true,
  listSavedViews: true,
  saveView: true,
  deleteView: true,
  getLocalDataUsage: true,
  resetLocalData: true,
  getOfflineWindow: true,
  setOfflineWindow: true,
  fetchTicket: true,
  searchOlderTickets: true,
  copyDiagnostics: true,
  getUpdateStatus: true,
  checkForUpdates: true,
  downloadUpdate: true,
  setUpdatePreferences: true,
  restartToUpdate: true,
  getDeviceSettings: true,
  updateDeviceSettings: true,
  reportRendererError: true,
} as const satisfies Record<BridgeCall, true>;

const EVENTS = {
  syncStatus: true,
  replicaChanged: true,
  newWork: true,
  openTicket: true,
  updateStatus: true,
  accounts: true,
} as const satisfies Record<BridgeEvent, true>;

export const BRIDGE_CALL_NAMES = Object.freeze(Object.keys(CALLS) as BridgeCall[]);
export const BRIDGE_EVENT_NAMES = Object.freeze(Object.keys(EVENTS) as BridgeEvent[]);

export const isBridgeCallName = (name: unknown): name is BridgeCall =>
  typeof name === 'string' && Object.hasOwn(CALLS, name);
export const isBridgeEventName = (name: unknown): name is BridgeEvent =>
  typeof name === 'string' && Object.hasOwn(EVENTS, name);

/**
 * What the main process answers to a call. Errors travel as data (Electron keeps only an Error's
 * message): `{ ok: false, error: { code, message } }`.
 */
export type BridgeResult<T> =
  { ok: true; value: T } | { ok: false; error: { code: string; message: string } };

/** How a transport carries calls and events; the client adds the typing and the error shape. */
export interface BridgeTransport {
  invoke(call: BridgeCall, input: unknown): Promise<BridgeResult<unknown>>;
  subscribe(event: BridgeEvent, listener: (payload: unknown) => void): () => void;
}

/**
 * The error a call rejects with. contextBridge copies only an Error's message, so the code travels
 * in it: `[code] message` (the `code` property is there too, for same-world callers).
 */
export function bridgeCallError(error: { code: string; message: string }): Error & {
  code: string;
} {
  return Object.assign(new Error(`[${error.code}] ${error.message}`), { code: error.code });
}

/** `window.helpdesk` over a transport: one async function per call, plus `on`. */
export function createBridgeClient(transport: BridgeTransport): HelpdeskBridge {
  const call =
    <C extends BridgeCall>(name: C) =>
    async (input: BridgeInput<C>): Promise<BridgeOutput<C>> => {
      const result = await transport.invoke(name, input);
      if (result.ok) return result.value as BridgeOutput<C>;
      throw bridgeCallError(result.error);
    };
  const calls = Object.fromEntries(BRIDGE_CALL_NAMES.map((name) => [name, call(name)]));
  return {
    ...(calls as { [C in BridgeCall]: HelpdeskBridge[C] }),
    on<E extends BridgeEvent>(event: E, listener: (payload: BridgeEventPayload<E>) => void) {
      if (!isBridgeEventName(event)) throw new Error(`Unknown event ${String(event)}.`);
      if (typeof listener !== 'function') throw new Error('The listener must be a function.');
      return transport.subscribe(event, (payload) => listener(payload as BridgeEventPayload<E>));
    },
  };
}
