import { randomUUID } from 'node:crypto';
import { Agent, request as httpsRequest } from 'node:https';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SyncSession } from '../../support/api-client';
import { startTestServer, type TestServer } from '../../support/test-server';

/**
 * GET /api/v1/sync/events (PROTOCOL.md, "Live updates"): a server-sent-events stream of pokes,
 * read with node:https and parsed by hand, the way a client outside this repository would.
 */

interface SseEvent {
  event: string;
  data: string;
}

/** One open response of the events endpoint, its text parsed as it arrives. */
class EventStream {
  status = 0;
  headers: Record<string, string | string[] | undefined> = {};
  text = '';
  ended = false;
  readonly done: Promise<void>;
  private readonly waiters = new Set<() => void>();
  private close!: () => void;

  constructor(server: TestServer, token?: string) {
    const url = new URL('/api/v1/sync/events', server.server.url);
    this.done = new Promise<void>((resolve, reject) => {
      const req = httpsRequest(
        url,
        {
          agent: new Agent({ ca: server.ca, keepAlive: false }),
          method: 'GET',
          headers: {
            accept: 'text/event-stream',
            ...(token ? { authorization: `Bearer ${token}` } : {}),
          },
        },
        (res) => {
          this.status = res.statusCode ?? 0;
          this.headers = res.headers;
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            this.text += chunk;
            this.notify();
          });
          const finish = () => {
            this.ended = true;
            this.notify();
            resolve();
          };
          res.on('end', finish);
          res.on('close', finish);
          res.on('error', finish);
        },
      );
      req.on('error', (error) => {
        if (this.ended) return;
        this.ended = true;
        this.notify();
        // A stream we closed ourselves ends with a reset: that is not a failure.
        if ((error as { code?: string }).code === 'ECONNRESET' || error.message === 'aborted')
          resolve();
        else reject(error);
      });
      req.end();
      this.close = () => req.destroy();
    });
    this.done.catch(() => undefined);
  }

  /** Complete events (a blank line ends each); comment lines are left out. */
  get events(): SseEvent[] {
    const blocks = this.text.split(/\r?\n\r?\n/).slice(0, -1);
    const events: SseEvent[] = [];
    for (const block of blocks) {
      const lines = block.split(/\r?\n/).filter((line) => line !== '' && !line.startsWith(':'));
      if (lines.length === 0) continue;
      let event = 'message';
      const data: string[] = [];
      for (const line of lines) {
        const colon = line.indexOf(':');
        const field = colon === -1 ? line : line.slice(0, colon);
        const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'event') event = value;
        if (field === 'data') data.push(value);
      }
      events.push({ event, data: data.join('\n') });
    }
    return events;
  }

  get pokes(): Array<{ cursor: string }> {
    return this.events
      .filter((e) => e.event === 'poke')
      .map((e) => JSON.parse(e.data) as { cursor: string });
  }

  /** Lines starting with ':' (keep-alive comments). */
  get comments(): string[] {
    return this.text.split(/\r?\n/).filter((line) => line.startsWith(':'));
  }

  private notify(): void {
    for (const waiter of this.waiters) waiter();
  }

  /** Resolves once `check` holds; rejects after `timeoutMs`. */
  waitFor(check: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter = () => {
        if (!check()) return;
        clearTimeout(timer);
        this.waiters.delete(waiter);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`timed out waiting for ${what}; received: ${JSON.stringify(this.text)}`));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  /** Resolves once the response head has arrived. */
  async opened(): Promise<this> {
    await this.waitFor(() => this.status !== 0 || this.ended, 5000, 'the response head');
    return this;
  }

  destroy(): void {
    this.close();
  }
}

/** The expiry (ms) inside an access token `at_<base64url JSON claims>.<mac>`, for timing checks. */
function accessTokenExpiry(token: string): number {
  const payload = token.slice('at_'.length, token.lastIndexOf('.'));
  return (
    (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp: number }).exp * 1000
  );
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let t: TestServer;
let acmeAgent1: SyncSession;
let acmeAgent2: SyncSession;
let globexAdmin: SyncSession;
let ticketId: string;
const streams: EventStream[] = [];

function open(server: TestServer, token?: string): Promise<EventStream> {
  const stream = new EventStream(server, token);
  streams.push(stream);
  return stream.opened();
}

beforeAll(async () => {
  t = await startTestServer({ demo: true, heartbeatMs: 200 });
  [acmeAgent1, acmeAgent2, globexAdmin] = await Promise.all([
    t.api.session('acme', 'agent1@acme.test'),
    t.api.session('acme', 'agent2@acme.test'),
    t.api.session('globex', 'admin@globex.test'),
  ]);
  const page = await acmeAgent2.pull('0', 5000);
  ticketId = page.body.changes.find((c) => c.entity === 'ticket')!.id;
});
afterEach(() => {
  for (const stream of streams.splice(0)) stream.destroy();
});
afterAll(() => t.close());

const addComment = (session: SyncSession, ticket = ticketId) =>
  session.send({
    name: 'addComment',
    args: { id: randomUUID(), ticketId: ticket, body: 'live', public: true },
  });

describe('GET /api/v1/sync/events', () => {
  it('streams text/event-stream starting with a poke whose cursor is the head of the log', async () => {
    const stream = await open(t, acmeAgent1.token);
    expect(stream.status).toBe(200);
    expect(String(stream.headers['content-type'])).toMatch(/^text\/event-stream/);
    expect(stream.headers['x-request-id']).toBeTruthy();
    await stream.waitFor(() => stream.pokes.length >= 1, 5000, 'the first poke');
    const [first] = stream.events;
    expect(first!.event).toBe('poke');
    expect(stream.text).toMatch(/(^|\n)event: poke\ndata: \{"cursor":"[^"]+"\}\n\n/);
    const { cursor } = stream.pokes[0]!;
    // Nothing happened since: a pull from the poke's cursor has nothing to send.
    const pulled = await acmeAgent1.pull(cursor);
    expect(pulled.status).toBe(200);
    expect(pulled.body).toMatchObject({ changes: [], hasMore: false });
    const head = await acmeAgent1.pullAll('0', 5000);
    expect(cursor).toBe(head.at(-1)!.cursor);
  });

  it('pokes when another session of the same tenant pushes a change', async () => {
    const stream = await open(t, acmeAgent1.token);
    await stream.waitFor(() => stream.pokes.length === 1, 5000, 'the first poke');
    const initial = stream.pokes[0]!.cursor;
    const pushed = await addComment(acmeAgent2);
    expect(pushed.body.results[0]).toMatchObject({ status: 'applied' });
    await stream.waitFor(() => stream.pokes.length >= 2, 3000, 'a poke after the push');
    const latest = stream.pokes.at(-1)!.cursor;
    expect(latest).not.toBe(initial);
    // The poke is a hint: pulling from before it brings the change.
    const changes = (await acmeAgent1.pull(initial)).body.changes;
    expect(changes.map((c) => c.entity).sort()).toEqual(['comment', 'ticket']);
    expect((await acmeAgent1.pull(latest)).body.changes).toEqual([]);
  });

  it('does not poke for a push in another tenant', async () => {
    const acme = await open(t, acmeAgent1.token);
    const globex = await open(t, globexAdmin.token);
    await acme.waitFor(() => acme.pokes.length === 1, 5000, 'the first acme poke');
    await globex.waitFor(() => globex.pokes.length === 1, 5000, 'the first globex poke');
    const pushed = await globexAdmin.send({
      name: 'createContact',
      args: { id: randomUUID(), name: 'Globex Customer' },
    });
    expect(pushed.body.results[0]).toMatchObject({ status: 'applied' });
    await globex.waitFor(() => globex.pokes.length >= 2, 3000, 'the globex poke');
    await sleep(600);
    expect(acme.pokes).toHaveLength(1);
    // The acme stream is alive all the same.
    await addComment(acmeAgent2);
    await acme.waitFor(() => acme.pokes.length === 2, 3000, 'the acme poke');
    await sleep(300);
    expect(globex.pokes).toHaveLength(2);
  });

  it('sends keep-alive comment lines at the heartbeat interval', async () => {
    const stream = await open(t, acmeAgent1.token);
    const started = Date.now();
    await stream.waitFor(() => stream.comments.length >= 3, 3000, 'three heartbeats');
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
    expect(stream.ended).toBe(false);
    // Comments are not events: only the initial poke so far.
    expect(stream.events.map((e) => e.event)).toEqual(['poke']);
  });

  it('ends at the next change once the session is revoked by log-out or deactivation', async () => {
    const [admin, loggedOut, deactivated] = await Promise.all([
      t.api.session('acme', 'admin@acme.test'),
      t.api.session('acme', 'agent3@acme.test'),
      t.api.session('acme', 'agent4@acme.test'),
    ]);
    const live = await open(t, acmeAgent1.token);
    const first = await open(t, loggedOut.token);
    const second = await open(t, deactivated.token);
    for (const stream of [live, first, second]) {
      await stream.waitFor(() => stream.pokes.length === 1, 5000, 'the first poke');
    }
    const logout = await t.api.call('POST', '/api/v1/auth/logout', {
      body: { refreshToken: loggedOut.tokens.refreshToken },
    });
    expect(logout.status).toBe(204);
    const patch = await t.api.call('PATCH', `/api/v1/admin/users/${deactivated.tokens.user.id}`, {
      token: admin.token,
      body: { active: false },
    });
    expect(patch.status).toBe(200);
    // The deactivation moved the log: the valid session is poked, the revoked ones are cut off.
    await live.waitFor(() => live.pokes.length === 2, 3000, 'the poke for the deactivation');
    await first.waitFor(() => first.ended, 3000, 'the end of the logged-out stream');
    await second.waitFor(() => second.ended, 3000, 'the end of the deactivated stream');
    expect(first.pokes).toHaveLength(1);
    expect(second.pokes).toHaveLength(1);
  });

  it('answers 401 with the JSON error envelope without a valid token', async () => {
    const garbage =
      'at_' + Buffer.from(JSON.stringify({ sid: randomUUID(), exp: 9e9 })).toString('base64url');
    for (const token of [undefined, 'not-a-token', `${garbage}.forged`, `${acmeAgent1.token}x`]) {
      const stream = await open(t, token);
      await stream.done;
      expect(stream.status).toBe(401);
      expect(String(stream.headers['content-type'])).toMatch(/^application\/json/);
      expect(stream.headers['x-request-id']).toBeTruthy();
      const body = JSON.parse(stream.text) as { error: { code: string; message: string } };
      expect(body.error).toMatchObject({ code: 'unauthorized', message: expect.any(String) });
    }
  });
});

describe('access token expiry', () => {
  let short: TestServer;

  beforeAll(async () => {
    short = await startTestServer({ demo: true, authPolicy: { accessTokenSeconds: 2 } });
  });
  afterAll(() => short.close());

  it('ends the stream when the access token expires; a fresh token opens a new one', async () => {
    const session = await short.api.session('acme', 'agent1@acme.test');
    const stream = await open(short, session.token);
    expect(stream.status).toBe(200);
    await stream.waitFor(() => stream.pokes.length === 1, 3000, 'the first poke');
    await stream.waitFor(() => stream.ended, 4000, 'the end of the stream');
    const endedAt = Date.now();
    // Ended by the token's expiry: not before it, and promptly after it.
    const expiresAt = accessTokenExpiry(session.token);
    expect(endedAt).toBeGreaterThanOrEqual(expiresAt - 50);
    expect(endedAt).toBeLessThan(expiresAt + 1500);

    // The expired token gets 401 everywhere, the stream included.
    expect((await session.pull('0', 1)).status).toBe(401);
    const refused = await open(short, session.token);
    await refused.done;
    expect(refused.status).toBe(401);

    const renewed = await short.api.call('POST', '/api/v1/auth/refresh', {
      body: { refreshToken: session.tokens.refreshToken, clientId: session.clientId },
    });
    expect(renewed.status).toBe(200);
    const again = await open(short, renewed.body.accessToken as string);
    expect(again.status).toBe(200);
    await again.waitFor(() => again.pokes.length === 1, 3000, 'the first poke of the new stream');
  });
});
