import {
  request as httpsRequest,
  Agent,
  createServer,
  type RequestOptions,
  type Server,
} from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { Random } from '../../src-server/demo/random';

/**
 * An HTTPS proxy on 127.0.0.1 in front of the real service, for the chaos runs. Unlike
 * tests/support/fault-proxy.ts (a TCP proxy that cannot read the TLS it forwards), it ends TLS
 * itself with a certificate of its own CA, which the client trusts, and speaks HTTP to the service:
 * so it can answer with a 5xx or a 429, truncate or garble a body, cut a connection before the
 * service saw a request or after it committed it, deliver a request twice, or once more much later
 * (after the requests that followed it: a reordering).
 *
 * What it does to each request comes from a seeded schedule (`Random`), in the order requests
 * arrive: the same seed gives the same sequence of faults, though the timing of the clients may
 * hand a given fault to a different request.
 */
export type Fault =
  | { kind: 'pass' }
  | { kind: 'delay'; ms: number }
  /** The connection is cut before the request reaches the service. */
  | { kind: 'cut-before' }
  /** The service processes (and commits) the request; the connection is cut before the answer. */
  | { kind: 'cut-after' }
  /** An error answer of the proxy's own; the service never sees the request. */
  | { kind: 'status-before'; status: number; retryAfter: number | null }
  /** The service processes the request; its answer is replaced by an error. */
  | { kind: 'status-after'; status: number }
  | { kind: 'truncate' }
  | { kind: 'malformed' }
  /** The request reaches the service twice at once; the client gets one answer. */
  | { kind: 'duplicate' }
  /** Answered normally, then sent to the service once more `ms` later. */
  | { kind: 'replay'; ms: number };

const FAULTS: ReadonlyArray<readonly [Fault['kind'], number]> = [
  ['pass', 40],
  ['delay', 10],
  ['cut-before', 6],
  ['cut-after', 6],
  ['status-before', 10],
  ['status-after', 5],
  ['truncate', 5],
  ['malformed', 5],
  ['duplicate', 5],
  ['replay', 5],
];

/** Only requests any transport may repeat are duplicated: a sign-in or a token refresh is not. */
const REPEATABLE = /^\/api\/v1\/sync\/(push|pull)/;
const EVENTS = '/api/v1/sync/events';

export function drawFault(rng: Random, path: string): Fault {
  const kind = rng.weighted(FAULTS);
  switch (kind) {
    case 'delay':
      return { kind, ms: rng.int(10, 400) };
    case 'status-before':
      return {
        kind,
        status: rng.pick([500, 502, 503, 429]),
        retryAfter: rng.next() < 0.5 ? rng.int(0, 1) : null,
      };
    case 'status-after':
      return { kind, status: rng.pick([500, 502, 503]) };
    case 'duplicate':
      return REPEATABLE.test(path) ? { kind } : { kind: 'pass' };
    case 'replay':
      return REPEATABLE.test(path) ? { kind, ms: rng.int(50, 800) } : { kind: 'pass' };
    default:
      return { kind } as Fault;
  }
}

/** Where a request is when the proxy asks `onRequest` whether to go on. */
export type RequestStage = 'arrived' | 'answered';

export interface HttpFaultProxyOptions {
  targetPort: number;
  /** The service's CA (the proxy checks the service like any client). */
  targetCa: string;
  /** Key and certificate the proxy presents, issued for 127.0.0.1 by a CA the client trusts. */
  tls: { key: string; cert: string };
  seed: number;
}

export interface HttpFaultProxy {
  readonly url: string;
  /** Requests seen so far, by fault kind. */
  readonly counts: Record<string, number>;
  /** Offline: every connection is reset at once, open ones included. */
  offline: boolean;
  /** When false, every request passes (the network healed). */
  faulty: boolean;
  /**
   * Called at each stage of every request (path and method given); the chaos run kills the client
   * process from here, inside a push or an initial sync. Returning false drops the request there.
   */
  onRequest: (stage: RequestStage, method: string, path: string) => boolean;
  close(): Promise<void>;
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

function readBody(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

export async function startHttpFaultProxy(options: HttpFaultProxyOptions): Promise<HttpFaultProxy> {
  const rng = new Random(options.seed);
  const agent = new Agent({ keepAlive: true, ca: options.targetCa });
  const sockets = new Set<Socket>();
  let offline = false;
  const timers = new Set<NodeJS.Timeout>();
  const later = (ms: number, run: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      run();
    }, ms);
    timers.add(timer);
  };

  /** The same request to the service; the events stream gets a connection of its own. */
  const toService = (req: IncomingMessage, ownConnection = false): RequestOptions => ({
    host: '127.0.0.1',
    port: options.targetPort,
    method: req.method,
    path: req.url,
    headers: { ...req.headers, host: `127.0.0.1:${options.targetPort}` },
    ...(ownConnection ? { ca: options.targetCa } : { agent }),
  });

  const upstream = (req: IncomingMessage, body: Buffer): Promise<Answer> =>
    new Promise((resolve, reject) => {
      const out = httpsRequest(toService(req), (res) => {
        readBody(res).then(
          (data) => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: data }),
          reject,
        );
      });
      out.on('error', reject);
      out.end(body);
    });

  /** The live-updates stream, piped as it flows (only cut or refused, never rewritten). */
  const stream = (req: IncomingMessage, res: ServerResponse) => {
    const out = httpsRequest(toService(req, true), (upstreamRes) => {
      res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
      upstreamRes.pipe(res);
    });
    out.on('error', () => res.destroy());
    res.on('close', () => out.destroy());
    out.end();
  };

  const send = (res: ServerResponse, answer: Answer) => {
    if (res.destroyed) return;
    res.writeHead(answer.status, answer.headers);
    res.end(answer.body);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = req.url ?? '/';
    const method = req.method ?? 'GET';
    const cut = () => req.socket.destroy();
    if (proxy.offline) return cut();
    if (!proxy.onRequest('arrived', method, path)) return cut();
    if (path.startsWith(EVENTS)) {
      if (proxy.faulty && rng.next() < 0.3) return cut();
      return stream(req, res);
    }
    const body = await readBody(req);
    const fault: Fault = proxy.faulty ? drawFault(rng, path) : { kind: 'pass' };
    proxy.counts[fault.kind] = (proxy.counts[fault.kind] ?? 0) + 1;
    if (fault.kind === 'cut-before') return cut();
    if (fault.kind === 'status-before') {
      const headers: Record<string, string> = { 'content-type': 'text/html' };
      if (fault.retryAfter !== null) headers['retry-after'] = String(fault.retryAfter);
      return send(res, {
        status: fault.status,
        headers,
        body: Buffer.from(`<html><body>${fault.status} from a proxy</body></html>`),
      });
    }
    if (fault.kind === 'delay') await new Promise((resolve) => later(fault.ms, () => resolve(0)));
    let answer: Answer;
    try {
      if (fault.kind === 'duplicate') {
        const [first] = await Promise.allSettled([upstream(req, body), upstream(req, body)]);
        if (first.status === 'rejected') throw first.reason;
        answer = first.value;
      } else {
        answer = await upstream(req, body);
      }
    } catch {
      return cut();
    }
    if (fault.kind === 'replay') later(fault.ms, () => void upstream(req, body).catch(() => 0));
    if (!proxy.onRequest('answered', method, path)) return cut();
    if (proxy.offline || fault.kind === 'cut-after') return cut();
    if (fault.kind === 'status-after') {
      return send(res, {
        status: fault.status,
        headers: { 'content-type': 'application/json' },
        body: Buffer.from('{"error":{"code":"internal","message":"proxy"}}'),
      });
    }
    if (fault.kind === 'truncate' && answer.body.length > 1) {
      res.writeHead(answer.status, { ...answer.headers, 'content-length': answer.body.length });
      res.write(answer.body.subarray(0, Math.floor(answer.body.length / 2)));
      // Flushed first, so that the client sees a short body and not only a reset.
      return later(20, cut);
    }
    if (fault.kind === 'malformed') {
      const garbage = Buffer.from(rng.pick(['{"changes":[', '<html>oops</html>', 'null', '{}']));
      const headers = { ...answer.headers, 'content-length': String(garbage.length) };
      return send(res, { status: answer.status, headers, body: garbage });
    }
    send(res, answer);
  };

  const server: Server = createServer(
    { key: options.tls.key, cert: options.tls.cert },
    (req, res) => {
      handle(req, res).catch(() => req.socket.destroy());
    },
  );
  server.on('connection', (socket: Socket) => {
    if (proxy.offline) {
      socket.resetAndDestroy();
      return;
    }
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  const proxy: HttpFaultProxy = {
    url: `https://127.0.0.1:${port}`,
    counts: {},
    get offline() {
      return offline;
    },
    set offline(value: boolean) {
      offline = value;
      // Kept-alive connections go too, as when a cable is pulled.
      if (value) for (const socket of sockets) socket.destroy();
    },
    faulty: true,
    onRequest: () => true,
    close() {
      for (const timer of timers) clearTimeout(timer);
      for (const socket of sockets) socket.destroy();
      agent.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return proxy;
}
