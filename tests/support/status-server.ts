import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import { join } from 'node:path';

/**
 * A misbehaving stand-in for the service: HTTPS on 127.0.0.1 with the test service's own
 * certificate (so clients trust it exactly as they trust the service), answering every request
 * with one canned answer: a 429 with Retry-After, a 503, a body that is not JSON, JSON of the wrong
 * shape... The real service will not produce these on demand.
 */
export interface CannedAnswer {
  status: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Leave the response open after the body (an event stream that goes silent). */
  keepOpen?: boolean;
}

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface StatusServer {
  readonly url: string;
  readonly port: number;
  /** What to answer; may be changed between requests. */
  answer: CannedAnswer | ((request: RecordedRequest) => CannedAnswer);
  readonly requests: RecordedRequest[];
  close(): Promise<void>;
}

/** `tls`: a data folder of the test service (its `tls/server.pem` and `tls/server-key.pem` are used) or a PEM pair. */
export async function startStatusServer(
  tls: { dataDir: string } | { cert: string; key: string },
  answer: StatusServer['answer'],
): Promise<StatusServer> {
  const material =
    'dataDir' in tls
      ? {
          cert: readFileSync(join(tls.dataDir, 'tls', 'server.pem'), 'utf8'),
          key: readFileSync(join(tls.dataDir, 'tls', 'server-key.pem'), 'utf8'),
        }
      : tls;
  const requests: RecordedRequest[] = [];
  const server: Server = createServer(material, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const recorded: RecordedRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(recorded);
      const canned = typeof status.answer === 'function' ? status.answer(recorded) : status.answer;
      const body = canned.body ?? '';
      res.writeHead(canned.status, {
        ...(canned.keepOpen ? {} : { 'content-length': String(Buffer.byteLength(body)) }),
        ...canned.headers,
      });
      if (canned.keepOpen) res.write(body);
      else res.end(body);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const status: StatusServer = {
    url: `https://127.0.0.1:${port}`,
    port,
    answer,
    requests,
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return status;
}
