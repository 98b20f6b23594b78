import type { PowerMonitor } from 'electron';

export interface OnlineMonitorOptions {
  /** Electron's `net.isOnline()`: the main process has no online/offline event to listen to. */
  isOnline: () => boolean;
  powerMonitor: Pick<PowerMonitor, 'on' | 'removeListener'>;
  /** The network is (probably) back: sync now rather than at the end of a backoff. */
  onNetworkUp: () => void;
  pollMs?: number;
}

/**
 * Calls onNetworkUp when `isOnline()` turns from false to true (polled) and when the computer
 * wakes from sleep (its connections were dropped while asleep). Returns a function that stops it.
 */
export function startOnlineMonitor({
  isOnline,
  powerMonitor,
  onNetworkUp,
  pollMs = 5000,
}: OnlineMonitorOptions): () => void {
  let online = isOnline();
  const poll = setInterval(() => {
    const now = isOnline();
    if (now && !online) onNetworkUp();
    online = now;
  }, pollMs);
  const resumed = () => onNetworkUp();
  powerMonitor.on('resume', resumed);
  return () => {
    clearInterval(poll);
    powerMonitor.removeListener('resume', resumed);
  };
}
