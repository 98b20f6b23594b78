import type { BridgeCall, BridgeEvent } from '../../src-shared/bridge/contract';

/**
 * IPC channel names, derived from the bridge contract: one invoke channel per call and one event
 * channel per event (as GitHub Desktop's typed channel map). Type-only import of the contract, so
 * the bundled preload does not carry zod; `satisfies` makes each list exactly the contract's keys
 * (a missing or extra name is a type error), and a test compares them with the contract at runtime.
 */
const CALLS = {
  getAppInfo: true,
  signIn: true,
  signOut: true,
  getSession: true,
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
  listLoginHistory: true,
} as const satisfies Record<BridgeCall, true>;

const EVENTS = {
  syncStatus: true,
  replicaChanged: true,
} as const satisfies Record<BridgeEvent, true>;

export const BRIDGE_CALLS = Object.freeze(Object.keys(CALLS) as BridgeCall[]);
export const BRIDGE_EVENT_NAMES = Object.freeze(Object.keys(EVENTS) as BridgeEvent[]);

export const invokeChannel = <C extends BridgeCall>(call: C): `helpdesk:invoke:${C}` =>
  `helpdesk:invoke:${call}`;
export const eventChannel = <E extends BridgeEvent>(event: E): `helpdesk:event:${E}` =>
  `helpdesk:event:${event}`;

export const isBridgeCall = (name: unknown): name is BridgeCall =>
  typeof name === 'string' && Object.hasOwn(CALLS, name);
export const isBridgeEvent = (name: unknown): name is BridgeEvent =>
  typeof name === 'string' && Object.hasOwn(EVENTS, name);

/**
 * What an invoke channel answers. Electron keeps only the message of an Error thrown by a handler,
 * so errors travel as data: `{ ok: false, error: { code, message } }` (codes from BridgeError,
 * `forbidden` for an untrusted sender, `internal` for anything else).
 */
export type IpcResult<T> =
  { ok: true; value: T } | { ok: false; error: { code: string; message: string } };
