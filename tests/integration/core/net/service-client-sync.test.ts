import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TokenResponse } from '../../../../src-shared/protocol/auth';
import type { PokeEvent, PullResponse } from '../../../../src-shared/protocol/sync';
import { ServiceClient } from '../../../../src-main/core/net/service-client';
import { serviceFailure } from '../../../support/service-errors';
import { startTestServer, type TestServer } from '../../../support/test-server';

/** ServiceClient's pull, push and live events against the real service over HTTPS. */

let t: TestServer;
let client: ServiceClient;
let agent: TokenResponse;
let ticketIds: string[];

beforeAll(async () => {
  t = await startTestServer({ demo: true });
  client = new ServiceClient({ serverUrl: t.server.url, ca: t.ca });
  agent = await client.login({
    tenant: 'acme',
    email: 'agent1@acme.test',
    password: 'demo-password-1',
  });
  const page = await client.pull('0', 200, randomUUID(), agent.accessToken);
  ticketIds = page.changes.filter((c) => c.entity === 'ticket').map((c) => c.id);
  expect(ticketIds.length).toBeGreaterThan(3);
});

afterAll(async () => {
  client?.close();
  await t?.close();
});

function ticketIn(pages: PullResponse[], id: string): Record<string, unknown> | undefined {
  const change = pages
    .flatMap((page) => page.changes)
    .filter((c) => c.entity === 'ticket' && c.id === id)
    .at(-1);
  return change?.op === 'upsert' ? change.data : undefined;
}

async function pullAll(clientId: string, cursor = '0'): Promise<PullResponse[]> {
  const pages: PullResponse[] = [];
  for (;;) {
    const page = await client.pull(cursor, 5000, clientId, agent.accessToken);
    pages.push(page);
    cursor = page.cursor;
    if (!page.hasMore) return pages;
  }
}

describe('ServiceClient pull', () => {
  it('pages from cursor 0 with typed, checked changes', async () => {
    const clientId = randomUUID();
    const first = await client.pull('0', 50, clientId, agent.accessToken);
    expect(first.changes).toHaveLength(50);
    expect(first.hasMore).toBe(true);
    expect(first.remaining).toBeGreaterThan(0);
    expect(first.lastMutationId).toBe(0);
    const second = await client.pull(first.cursor, 50, clientId, agent.accessToken);
    expect(second.changes[0]!.seq).toBeGreaterThan(first.changes.at(-1)!.seq);
    expect(second.epoch).toBe(first.epoch);
  });

  it('uses the service default limit when none is given', async () => {
    const page = await client.pull('0', undefined, randomUUID(), agent.accessToken);
    expect(page.changes).toHaveLength(500);
  });

  it('maps a cursor of another epoch to 410 cursor_expired', async () => {
    const clientId = randomUUID();
    const page = await client.pull('0', 5, clientId, agent.accessToken);
    const foreign = page.cursor.replace(/^c1\.[^.]+\./, 'c1.anotherepoch.');
    expect(foreign).not.toBe(page.cursor);
    const error = await serviceFailure(client.pull(foreign, 5, clientId, agent.accessToken));
    expect(error).toMatchObject({ kind: 'http', status: 410, code: 'cursor_expired' });
  });

  it('maps a bad token to 401 unauthorized and another user’s client id to 403 forbidden', async () => {
    const bad = await serviceFailure(client.pull('0', 1, randomUUID(), 'not-a-token'));
    expect(bad).toMatchObject({ kind: 'http', status: 401, code: 'unauthorized' });

    const clientId = randomUUID();
    await client.pull('0', 1, clientId, agent.accessToken);
    const other = await client.login({
      tenant: 'acme',
      email: 'agent2@acme.test',
      password: 'demo-password-1',
    });
    const error = await serviceFailure(client.pull('0', 1, clientId, other.accessToken));
    expect(error).toMatchObject({ kind: 'http', status: 403, code: 'forbidden' });
  });

  it('maps an out-of-range limit to 400 bad_request', async () => {
    const error = await serviceFailure(client.pull('0', 5001, randomUUID(), agent.accessToken));
    expect(error).toMatchObject({ kind: 'http', status: 400, code: 'bad_request' });
  });
});

describe('ServiceClient push', () => {
  it('pushes a batch, gets typed results, and a re-sent batch answers duplicate', async () => {
    const clientId = randomUUID();
    const ticketId = ticketIds[0]!;
    const batch = {
      clientId,
      mutations: [
        { id: 1, name: 'noop', args: {} },
        { id: 2, name: 'setTicketFields', args: { ticketId, fields: { priority: 'urgent' } } },
        { id: 3, name: 'noSuchMutation', args: {} },
      ],
    };
    const response = await client.push(batch, clientId, agent.accessToken);
    expect(response.results.map((r) => r.status)).toEqual(['applied', 'applied', 'rejected']);
    expect(response.lastMutationId).toBe(3);

    const again = await client.push(batch, clientId, agent.accessToken);
    expect(again.results.map((r) => r.status)).toEqual(['duplicate', 'duplicate', 'duplicate']);
    const original = again.results[1];
    expect(original?.status === 'duplicate' && original.original?.status).toBe('applied');

    const pages = await pullAll(clientId);
    expect(ticketIn(pages, ticketId)?.['priority']).toBe('urgent');
    expect(pages.at(-1)!.lastMutationId).toBe(3);
  });

  it('reports a field conflict with both values', async () => {
    const clientId = randomUUID();
    const ticketId = ticketIds[1]!;
    const response = await client.push(
      {
        clientId,
        mutations: [
          {
            id: 1,
            name: 'setTicketFields',
            args: { ticketId, fields: { subject: 'Mine' } },
            base: { subject: 'A value the server never had' },
          },
        ],
      },
      clientId,
      agent.accessToken,
    );
    const [result] = response.results;
    expect(result?.status).toBe('conflict');
    if (result?.status !== 'conflict') throw new Error('expected a conflict');
    expect(result.field).toBe('subject');
    expect(result.mine).toBe('Mine');
    expect(typeof result.server).toBe('string');
  });

  it('maps a gap to 409 mutation_gap with the recorded lastMutationId', async () => {
    const clientId = randomUUID();
    await client.push(
      {
        clientId,
        mutations: [
          { id: 1, name: 'noop', args: {} },
          { id: 2, name: 'noop', args: {} },
        ],
      },
      clientId,
      agent.accessToken,
    );
    const error = await serviceFailure(
      client.push(
        { clientId, mutations: [{ id: 5, name: 'noop', args: {} }] },
        clientId,
        agent.accessToken,
      ),
    );
    expect(error).toMatchObject({
      kind: 'http',
      status: 409,
      code: 'mutation_gap',
      lastMutationId: 2,
    });
  });
});

describe('ServiceClient live events', () => {
  it('delivers checked pokes as the change log moves, and ends when aborted', async () => {
    const pokes: PokeEvent[] = [];
    const controller = new AbortController();
    let notify: () => void = () => undefined;
    const stream = client.openEvents(
      agent.accessToken,
      (poke) => {
        pokes.push(poke);
        notify();
      },
      controller.signal,
    );
    const waitForPokes = (count: number) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`only ${pokes.length} pokes`)), 5000);
        notify = () => {
          if (pokes.length >= count) {
            clearTimeout(timer);
            resolve();
          }
        };
        notify();
      });
    await waitForPokes(1); // the service pokes once on connect
    const clientId = randomUUID();
    await client.push(
      {
        clientId,
        mutations: [
          {
            id: 1,
            name: 'setTicketFields',
            args: { ticketId: ticketIds[2]!, fields: { priority: 'low' } },
          },
        ],
      },
      clientId,
      agent.accessToken,
    );
    await waitForPokes(2);
    expect(pokes[1]!.cursor).not.toBe(pokes[0]!.cursor);
    // The poke's cursor leads to the change.
    const page = await client.pull(pokes[0]!.cursor, 100, randomUUID(), agent.accessToken);
    expect(page.changes.some((c) => c.id === ticketIds[2])).toBe(true);

    controller.abort();
    await expect(stream).resolves.toBeUndefined();
  });

  it('rejects a refused stream with the http error', async () => {
    const error = await serviceFailure(client.openEvents('not-a-token', () => undefined));
    expect(error).toMatchObject({ kind: 'http', status: 401, code: 'unauthorized' });
  });

  it('resolves at once when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    let pokes = 0;
    await client.openEvents(agent.accessToken, () => pokes++, controller.signal);
    expect(pokes).toBe(0);
  });
});

describe('ServiceClient live events and token expiry', () => {
  it('resolves when the service ends the stream at token expiry', async () => {
    const short = await startTestServer({ demo: true, authPolicy: { accessTokenSeconds: 3 } });
    const shortClient = new ServiceClient({ serverUrl: short.server.url, ca: short.ca });
    try {
      const tokens = await shortClient.login({
        tenant: 'acme',
        email: 'agent1@acme.test',
        password: 'demo-password-1',
      });
      let pokes = 0;
      const started = Date.now();
      await shortClient.openEvents(tokens.accessToken, () => pokes++);
      expect(pokes).toBeGreaterThanOrEqual(1);
      // Token expiry has whole-second precision: the stream ends within (2, 3] s of log-in.
      expect(Date.now() - started).toBeLessThan(8000);
    } finally {
      shortClient.close();
      await short.close();
    }
  });
});
