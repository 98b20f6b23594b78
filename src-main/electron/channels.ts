import type { BridgeCall, BridgeEvent } from '../../src-shared/bridge/contract';
import {
  BRIDGE_CALL_NAMES,
  BRIDGE_EVENT_NAMES,
  type BridgeResult,
} from '../../src-shared/bridge/bridge-client';

/**
 * IPC channel names, derived from the bridge contract's name lists (as GitHub Desktop's typed
 * channel map): one invoke channel per call and one event channel per event.
 */
export const BRIDGE_CALLS = BRIDGE_CALL_NAMES;
export { BRIDGE_EVENT_NAMES };

export const invokeChannel = <C extends BridgeCall>(call: C): `helpdesk:invoke:${C}` =>
  `helpdesk:invoke:${call}`;
export const eventChannel = <E extends BridgeEvent>(event: E): `helpdesk:event:${E}` =>
  `helpdesk:event:${event}`;

/**
 * What an invoke channel answers. Electron keeps only the message of an Error thrown by a handler,
 * so errors travel as data: `{ ok: false, error: { code, message } }` (codes from BridgeError,
 * `forbidden` for an untrusted sender, `internal` for anything else).
 */
export type IpcResult<T> = BridgeResult<T>;
