import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTlsAgent } from '../../../../src-main/core/net/tls-agent';
import { FeedHttpExecutor } from '../../../../src-main/core/updates/feed-http-executor';

/** A plain-http server that would answer anything: the executor must never ask it. */
const server = createServer((_request, response) => response.end('version: 9.9.9\n'));
let port: number;
let asked = 0;

beforeAll(async () => {
  server.on('request', () => asked++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('FeedHttpExecutor', () => {
  it('refuses plain http, so a redirect cannot take the feed off TLS', async () => {
    const executor = new FeedHttpExecutor(createTlsAgent());
    await expect(
      executor.request({ protocol: 'http:', hostname: '127.0.0.1', port, path: '/latest.yml' }),
    ).rejects.toThrow('Updates are fetched over https only, not http:.');
    expect(asked).toBe(0);
  });
});
