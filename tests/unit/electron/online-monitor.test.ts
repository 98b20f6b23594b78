import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startOnlineMonitor } from '../../../src-main/electron/online-monitor';

vi.mock('electron', () => {
  throw new Error('online-monitor.ts must not import electron at runtime');
});

afterEach(() => vi.useRealTimers());

describe('startOnlineMonitor', () => {
  it('calls onNetworkUp when the network comes back and when the computer wakes', () => {
    vi.useFakeTimers();
    let online = false;
    const powerMonitor = new EventEmitter();
    const onNetworkUp = vi.fn();
    const stop = startOnlineMonitor({
      isOnline: () => online,
      powerMonitor: powerMonitor as any,
      onNetworkUp,
      pollMs: 1000,
    });
    vi.advanceTimersByTime(3000);
    expect(onNetworkUp).not.toHaveBeenCalled();
    online = true;
    vi.advanceTimersByTime(1000);
    expect(onNetworkUp).toHaveBeenCalledOnce();
    vi.advanceTimersByTime(5000); // still online: nothing new
    expect(onNetworkUp).toHaveBeenCalledOnce();
    online = false;
    vi.advanceTimersByTime(1000);
    online = true;
    vi.advanceTimersByTime(1000);
    expect(onNetworkUp).toHaveBeenCalledTimes(2);

    powerMonitor.emit('resume');
    expect(onNetworkUp).toHaveBeenCalledTimes(3);

    stop();
    expect(powerMonitor.listenerCount('resume')).toBe(0);
    online = false;
    vi.advanceTimersByTime(1000);
    online = true;
    vi.advanceTimersByTime(1000);
    expect(onNetworkUp).toHaveBeenCalledTimes(3);
  });

  it('does not call it at start when already online', () => {
    vi.useFakeTimers();
    const onNetworkUp = vi.fn();
    startOnlineMonitor({
      isOnline: () => true,
      powerMonitor: new EventEmitter() as any,
      onNetworkUp,
      pollMs: 1000,
    })();
    expect(onNetworkUp).not.toHaveBeenCalled();
  });
});
