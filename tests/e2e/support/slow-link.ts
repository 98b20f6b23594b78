import { connect, createServer, type Socket } from 'node:net';
import { Transform, type TransformCallback } from 'node:stream';

const TICK_MS = 20;

/** Passes bytes on at most `bytesPerTick` every TICK_MS, and none while `gate.held`. */
class Throttle extends Transform {
  constructor(
    private readonly bytesPerTick: number,
    private readonly gate: { held: boolean },
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    const send = (offset: number) => {
      if (this.destroyed) return callback();
      if (this.gate.held) return void setTimeout(() => send(offset), TICK_MS);
      this.push(chunk.subarray(offset, offset + this.bytesPerTick));
      const next = offset + this.bytesPerTick;
      setTimeout(() => (next >= chunk.length ? callback() : send(next)), TICK_MS);
    };
    send(0);
  }
}

export interface SlowLink {
  /** The service's address through the link (same scheme and certificate, another port). */
  url: string;
  /** Stops delivering what the service sends (the client waits, as on a stalled network)... */
  hold(): void;
  /** ...and goes on. */
  release(): void;
  close(): Promise<void>;
}

/**
 * A TCP relay on 127.0.0.1 that delivers what the service sends at `bytesPerSecond`, like a slow
 * connection, and can stall, so that the initial sync screen stays up while a test looks at it.
 * TLS goes through untouched: the client still checks the service's certificate.
 */
export async function startSlowLink(serviceUrl: string, bytesPerSecond: number): Promise<SlowLink> {
  const target = new URL(serviceUrl);
  const sockets = new Set<Socket>();
  const gate = { held: false };
  const bytesPerTick = Math.max(1, Math.round((bytesPerSecond * TICK_MS) / 1000));
  const server = createServer((client) => {
    const upstream = connect(Number(target.port), target.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    upstream.pipe(new Throttle(bytesPerTick, gate)).pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `${target.protocol}//127.0.0.1:${port}`,
    hold: () => void (gate.held = true),
    release: () => void (gate.held = false),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
