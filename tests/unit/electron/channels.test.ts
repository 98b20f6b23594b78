import { describe, expect, it } from 'vitest';
import { BRIDGE_EVENTS, BRIDGE_INVOKE } from '../../../src-shared/bridge/contract';
import {
  BRIDGE_CALLS,
  BRIDGE_EVENT_NAMES,
  eventChannel,
  invokeChannel,
} from '../../../src-main/electron/channels';
import {
  isBridgeCallName as isBridgeCall,
  isBridgeEventName as isBridgeEvent,
} from '../../../src-shared/bridge/bridge-client';

describe('channels', () => {
  it('lists exactly the contract calls and events', () => {
    expect([...BRIDGE_CALLS].sort()).toEqual(Object.keys(BRIDGE_INVOKE).sort());
    expect([...BRIDGE_EVENT_NAMES].sort()).toEqual(Object.keys(BRIDGE_EVENTS).sort());
  });

  it('names one channel per call and per event', () => {
    expect(invokeChannel('signIn')).toBe('helpdesk:invoke:signIn');
    expect(eventChannel('syncStatus')).toBe('helpdesk:event:syncStatus');
    expect(new Set(BRIDGE_CALLS.map(invokeChannel)).size).toBe(BRIDGE_CALLS.length);
  });

  it('knows only own names, not prototype keys', () => {
    expect(isBridgeCall('getTicket')).toBe(true);
    expect(isBridgeCall('toString')).toBe(false);
    expect(isBridgeCall('__proto__')).toBe(false);
    expect(isBridgeEvent('replicaChanged')).toBe(true);
    expect(isBridgeEvent('constructor')).toBe(false);
    expect(isBridgeEvent(42)).toBe(false);
  });
});
