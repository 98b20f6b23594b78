import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy on 127.0.0.1 in front of a real service, for network-failure tests. TLS goes through
 * it end to end (the client still checks the service's certificate), so the proxy cannot read HTTP:
 * it acts per connection, by a rule on the connection's index or by a mode the test switches.
 *
 * Modes:
 * - `pass`: forward both ways.
 * - `refuse`: accept, then reset at once (the client sees ECONNRESET before TLS is up). For a port
 *   where nothing listens (ECONNREFUSED), close the proxy or use a closed port.
 * - `blackhole`: accept and never forward nor answer (the client times out).
 * - `{ delayMs }`: hold the connection that long, then pass.
 * - `cut-response`: a lost response. Forward the client's request to the service in full, keep the
 *   service's side open so that it processes and commits it, drop everything the service sends
 *   back after the request, and close the client's socket once the answer starts (the first bytes
 *   from the service after the request). TLS records are framed in the clear, so the proxy sees
 *   where the client's application data begins. Not every byte from the service is the answer
 *   (TLS 1.3 session tickets come first), so it closes the client only when the service has sent
 *   something after the client's last bytes and the client has been quiet for `quietMs`: a
 *   request written in several pieces always reaches the service whole.
 */
export type FaultMode = 'pass' | 'refuse' | 'blackhole' | { delayMs: number } | 'cut-response';

export interface FaultProxyOptions {
  targetPort: number;
  targetHost?: string;
  /** See `cut-response`; default 100 ms. */
  quietMs?: number;
}

export interface FaultProxy {
  readonly url: string;
  readonly port: number;
  /** Connections accepted so far (the index the next one gets). */
  readonly connections: number;
  /** Answers dropped by `cut-response` so far. */
  readonly cuts: number;
  /** The mode of a new connection, by its index (0 for the first). Default: always `pass`. */
  rule: (index: number) => FaultMode;
  /**
   * One mode for every new connection (it replaces `rule`) and for the open ones too: `refuse`
   * resets them now, `blackhole` stops forwarding, `cut-response` cuts the answer to their next
   * request, `pass` and a delay let them be.
   */
  setMode(mode: FaultMode): void;
  /** Resolves when `count` answers in all have been cut. */
  waitForCuts(count: number): Promise<void>;
  close(): Promise<void>;
}

const TLS_APPLICATION_DATA = 0x17;

/** Finds TLS record boundaries in a byte stream, reporting the type of each record. */
class RecordScanner {
  private header: number[] = [];
  private remaining = 0;

  feed(chunk: Buffer, onRecord: (type: number) => void): void {
    let i = 0;
    while (i < chunk.length) {
      if (this.remaining > 0) {
        const take = Math.min(this.remaining, chunk.length - i);
        i += take;
        this.remaining -= take;
        continue;
      }
      this.header.push(chunk[i]!);
      i += 1;
      if (this.header.length === 5) {
        const [type, , , high, low] = this.header as [number, number, number, number, number];
        this.header = [];
        this.remaining = (high << 8) | low;
        onRecord(type);
      }
    }
  }
}

interface Connection {
  mode: FaultMode;
  client: Socket;
  upstream: Socket | null;
  applyMode(mode: FaultMode): void;
  destroy(): void;
}

export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const targetHost = options.targetHost ?? '127.0.0.1';
  const quietMs = options.quietMs ?? 100;
  const live = new Set<Connection>();
  let accepted = 0;
  let cuts = 0;
  const cutWaiters: Array<{ count: number; resolve: () => void }> = [];

  const noteCut = () => {
    cuts += 1;
    for (const waiter of [...cutWaiters]) {
      if (cuts >= waiter.count) {
        cutWaiters.splice(cutWaiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  };

  const proxy: FaultProxy = {
    url: '',
    port: 0,
    get connections() {
      return accepted;
    },
    get cuts() {
      return cuts;
    },
    rule: () => 'pass',
    setMode(mode) {
      proxy.rule = () => mode;
      for (const connection of [...live]) connection.applyMode(mode);
    },
    waitForCuts(count) {
      if (cuts >= count) return Promise.resolve();
      return new Promise((resolve) => cutWaiters.push({ count, resolve }));
    },
    close() {
      for (const connection of [...live]) connection.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  const handle = (client: Socket) => {
    const index = accepted;
    accepted += 1;
    const initial = proxy.rule(index);
    client.on('error', () => undefined);
    client.pause();

    const scanner = new RecordScanner();
    let cutArmed = false;
    let swallowing = false;
    let lastClientData = Date.now();
    let lastUpstreamData = 0;
    let cutTimer: NodeJS.Timeout | undefined;
    let upstreamStarted = false;
    let delayTimer: NodeJS.Timeout | undefined;

    const connection: Connection = {
      mode: initial,
      client,
      upstream: null,
      applyMode(mode) {
        connection.mode = mode;
        if (mode === 'refuse') {
          connection.destroy();
        } else if (mode === 'blackhole') {
          client.pause();
          connection.upstream?.pause();
        } else if (mode === 'cut-response') {
          cutArmed = true;
        } else {
          cutArmed = false;
          if (!upstreamStarted) startUpstream();
          else {
            client.resume();
            connection.upstream?.resume();
          }
        }
      },
      destroy() {
        clearTimeout(cutTimer);
        clearTimeout(delayTimer);
        if (!client.destroyed) client.resetAndDestroy();
        connection.upstream?.destroy();
        live.delete(connection);
      },
    };
    live.add(connection);
    client.on('close', () => {
      // A cut keeps the service's side open: it must process and answer into the void.
      if (!swallowing) connection.upstream?.destroy();
      if (!connection.upstream || connection.upstream.destroyed) live.delete(connection);
    });

    /** Closes the client once the service has sent something after the client's last bytes. */
    const cutClient = () => {
      if (client.destroyed) return;
      if (lastUpstreamData < lastClientData) return; // the next upstream bytes will call again
      const wait = lastClientData + quietMs - Date.now();
      if (wait > 0) {
        clearTimeout(cutTimer);
        cutTimer = setTimeout(cutClient, wait);
        return;
      }
      client.destroy();
      noteCut();
    };

    function startUpstream(): void {
      if (upstreamStarted || client.destroyed) return;
      upstreamStarted = true;
      const upstream = connect({ host: targetHost, port: options.targetPort });
      connection.upstream = upstream;
      upstream.on('error', () => {
        if (!client.destroyed) client.resetAndDestroy();
      });
      upstream.on('close', () => {
        if (!swallowing && !client.destroyed) client.destroy();
        live.delete(connection);
      });
      upstream.on('data', (chunk: Buffer) => {
        if (swallowing) {
          lastUpstreamData = Date.now();
          cutClient();
          return;
        }
        if (!client.destroyed) client.write(chunk);
      });
      upstream.on('connect', () => {
        client.on('data', (chunk: Buffer) => {
          lastClientData = Date.now();
          // Scanned always, so that record boundaries are known when a cut is armed later.
          scanner.feed(chunk, (type) => {
            if (cutArmed && type === TLS_APPLICATION_DATA) swallowing = true;
          });
          upstream.write(chunk);
        });
        client.on('end', () => {
          if (!swallowing) upstream.end();
        });
        client.resume();
      });
    }

    if (initial === 'refuse') {
      connection.destroy();
    } else if (initial === 'blackhole') {
      // Held open, paused, until the mode changes or the proxy closes.
    } else if (typeof initial === 'object') {
      delayTimer = setTimeout(startUpstream, initial.delayMs);
    } else {
      cutArmed = initial === 'cut-response';
      startUpstream();
    }
  };

  const server: Server = createServer(handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  Object.assign(proxy, { url: `https://127.0.0.1:${port}`, port });
  return proxy;
}
