import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TokenResponse } from '../../../../src-shared/protocol/auth';
import type { PullResponse, PushRequest } from '../../../../src-shared/protocol/sync';
import {
  ServiceClient,
  type ServiceClientOptions,
} from '../../../../src-main/core/net/service-client';
import { startFaultProxy, type FaultProxy } from '../../../support/fault-proxy';
import { requestsLogged, serviceFailure } from '../../../support/service-errors';
import { startTestServer, type TestServer } from '../../../support/test-server';

/**
 * The network between the client and the real service fails: a lost answer after the service
 * committed, a reset, a refused port, a service that does not answer in time. TLS goes through the
 * fault proxy end to end, so the client checks the real certificate throughout.
 */

let t: TestServer;
let proxy: FaultProxy;
let tokens: TokenResponse;
let ticketIds: string[];
const clients: ServiceClient[] = [];

function viaProxy(options: Partial<ServiceClientOptions> = {}): ServiceClient {
  const client = new ServiceClient({ serverUrl: proxy.url, ca: t.ca, ...options });
  clients.push(client);
  return client;
}

async function pullAll(client: ServiceClient, clientId: string): Promise<PullResponse[]> {
  const pages: PullResponse[] = [];
  let cursor = '0';
  for (;;) {
    const page = await client.pull(cursor, 5000, clientId, tokens.accessToken);
    pages.push(page);
    cursor = page.cursor;
    if (!page.hasMore) return pages;
  }
}

function ticketIn(pages: PullResponse[], id: string): Record<string, unknown> | undefined {
  const change = pages
    .flatMap((p) => p.changes)
    .filter((c) => c.entity === 'ticket' && c.id === id)
    .at(-1);
  return change?.op === 'upsert' ? change.data : undefined;
}

beforeAll(async () => {
  t = await startTestServer({ demo: true });
  proxy = await startFaultProxy({ targetPort: t.server.port });
  const direct = new ServiceClient({ serverUrl: t.server.url, ca: t.ca });
  clients.push(direct);
  tokens = await direct.login({
    tenant: 'acme',
    email: 'agent1@acme.test',
    password: 'demo-password-1',
  });
  const page = await direct.pull('0', 100, randomUUID(), tokens.accessToken);
  ticketIds = page.changes.filter((c) => c.entity === 'ticket').map((c) => c.id);
});

afterEach(() => {
  proxy.setMode('pass');
});

afterAll(async () => {
  for (const client of clients) client.close();
  await proxy?.close();
  await t?.close();
});

describe('a lost answer', () => {
  it('push: the client sees a network error, the service committed, and a re-send is a duplicate', async () => {
    const client = viaProxy();
    const clientId = randomUUID();
    const ticketId = ticketIds[0]!;
    const batch: PushRequest = {
      clientId,
      mutations: [
        { id: 1, name: 'setTicketFields', args: { ticketId, fields: { status: 'on_hold' } } },
      ],
    };
    const firstConnection = proxy.connections;
    proxy.rule = (index) => (index === firstConnection ? 'cut-response' : 'pass');

    const error = await serviceFailure(client.push(batch, clientId, tokens.accessToken));
    expect(error.kind).toBe('network');
    expect(error.retryable).toBe(true);
    expect(proxy.cuts).toBe(1);

    // The service did apply it: a pull (which waits for this client's earlier call) shows it.
    const pages = await pullAll(client, clientId);
    expect(pages.at(-1)!.lastMutationId).toBe(1);
    expect(ticketIn(pages, ticketId)?.['status']).toBe('on_hold');

    // Re-sending is safe: applied once, answered as a duplicate of the original.
    const again = await client.push(batch, clientId, tokens.accessToken);
    expect(again.results).toEqual([
      { id: 1, status: 'duplicate', original: { id: 1, status: 'applied' } },
    ]);
  });

  it('on a kept-alive connection too: the cut applies to the next request on it', async () => {
    const client = viaProxy();
    const clientId = randomUUID();
    await client.pull('0', 1, clientId, tokens.accessToken); // opens and keeps a connection
    const connectionsBefore = proxy.connections;
    proxy.setMode('cut-response');
    const error = await serviceFailure(
      client.push(
        { clientId, mutations: [{ id: 1, name: 'noop', args: {} }] },
        clientId,
        tokens.accessToken,
      ),
    );
    expect(error.kind).toBe('network');
    expect(proxy.connections).toBe(connectionsBefore); // the same connection carried it
    proxy.setMode('pass');
    const page = await client.pull('0', 1, clientId, tokens.accessToken);
    expect(page.lastMutationId).toBe(1);
  });

  it('refresh: the lost answer is recovered by presenting the same token again (grace window)', async () => {
    const client = viaProxy();
    const clientId = randomUUID();
    const session = await client.login({
      tenant: 'acme',
      email: 'agent2@acme.test',
      password: 'demo-password-1',
    });
    const next = proxy.connections;
    proxy.rule = (index) => (index === next ? 'cut-response' : 'pass');
    // A fresh client, so that the refresh opens a connection of its own.
    const fresh = viaProxy();
    const error = await serviceFailure(fresh.refresh(session.refreshToken, clientId));
    expect(error.kind).toBe('network');
    const recovered = await fresh.refresh(session.refreshToken, clientId);
    expect(recovered.refreshToken).not.toBe(session.refreshToken);
    // The recovered pair is the live one: it refreshes in turn.
    await expect(fresh.refresh(recovered.refreshToken, clientId)).resolves.toMatchObject({
      user: { email: 'agent2@acme.test' },
    });
  });
});

describe('no answer at all', () => {
  it('a reset connection is a network error and no request reached the service', async () => {
    const client = viaProxy();
    const before = requestsLogged(t.logs);
    proxy.setMode('refuse');
    const error = await serviceFailure(client.pull('0', 1, randomUUID(), tokens.accessToken));
    expect(error).toMatchObject({ kind: 'network', systemCode: 'ECONNRESET' });
    expect(error.message).toBe('The connection to the server was lost.');
    expect(requestsLogged(t.logs)).toBe(before);
  });

  it('a refused port (the service is down) is a network error', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const address = closed.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const client = new ServiceClient({ serverUrl: `https://127.0.0.1:${port}`, ca: t.ca });
    clients.push(client);
    const error = await serviceFailure(
      client.login({ tenant: 'acme', email: 'a@acme.test', password: 'x' }),
    );
    expect(error).toMatchObject({ kind: 'network', systemCode: 'ECONNREFUSED' });
    expect(error.message).toBe('The server refused the connection. It may be down.');
  });

  it('a service that does not answer in time is a network timeout', async () => {
    const client = viaProxy({ timeouts: { pull: 400 } });
    proxy.setMode('blackhole');
    const started = Date.now();
    const error = await serviceFailure(client.pull('0', 1, randomUUID(), tokens.accessToken));
    expect(error).toMatchObject({ kind: 'network', systemCode: 'ETIMEDOUT' });
    expect(error.message).toBe('The server did not answer in time.');
    expect(Date.now() - started).toBeGreaterThanOrEqual(350);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('a slow connection within the timeout still succeeds', async () => {
    const client = viaProxy({ timeouts: { pull: 5000 } });
    proxy.setMode({ delayMs: 300 });
    const started = Date.now();
    const page = await client.pull('0', 1, randomUUID(), tokens.accessToken);
    expect(page.changes).toHaveLength(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
  });

  it('the stream of live events breaking is a network error', async () => {
    const client = viaProxy();
    let opened!: () => void;
    const firstPoke = new Promise<void>((resolve) => (opened = resolve));
    const stream = client.openEvents(tokens.accessToken, () => opened());
    await firstPoke;
    proxy.setMode('refuse'); // resets every open connection
    const error = await serviceFailure(stream);
    expect(error.kind).toBe('network');
  });
});
