import { connect, createServer, type Socket } from 'node:net';

/**
 * One address in front of several service processes, as a TCP load balancer puts it: each new
 * connection goes to the next backend in turn, TLS passes through untouched (the client checks the
 * service's certificate), and nothing is sticky: a client's next connection may land anywhere.
 */
export interface RoundRobinProxy {
  readonly url: string;
  /** The backend index each connection went to, in the order they were accepted. */
  readonly routes: readonly number[];
  /** Cuts every open connection (clients reconnect, onto the next backends in turn). */
  resetAll(): void;
  close(): Promise<void>;
}

export async function startRoundRobinProxy(
  backendPorts: readonly number[],
): Promise<RoundRobinProxy> {
  const routes: number[] = [];
  const live = new Set<Socket>();
  const server = createServer((client) => {
    const backend = routes.length % backendPorts.length;
    routes.push(backend);
    const upstream = connect({ host: '127.0.0.1', port: backendPorts[backend]! });
    for (const socket of [client, upstream]) {
      live.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => {
        live.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as { port: number };
  const resetAll = () => {
    for (const socket of [...live]) socket.resetAndDestroy();
  };
  return {
    url: `https://127.0.0.1:${port}`,
    routes,
    resetAll,
    close() {
      resetAll();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
