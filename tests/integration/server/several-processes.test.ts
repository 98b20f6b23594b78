import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServiceClient } from '../../../src-main/core/net/service-client';
import type { MutationEnvelope } from '../../../src-shared/protocol/sync';
import { LISTENER_APPLICATION_NAME } from '../../../src-server/storage/postgres/change-feed';
import {
  startSecondService,
  startService,
  type ServiceProcess,
} from '../../bench/support/processes';
import { ApiClient, SyncSession } from '../../support/api-client';
import { startPgCluster, type PgCluster } from '../../support/pg-cluster';
import { startRoundRobinProxy, type RoundRobinProxy } from '../../support/round-robin-proxy';
import {
  openSyncClient,
  replicaState,
  serverState,
  sorted,
  TempDirs,
  waitFor,
  waitForState,
  type SyncClient,
} from '../../support/sync-harness';
import { testDatabaseFor, testPostgresUrl, type TestDatabase } from '../../support/test-database';

/**
 * Two real service processes (`npm run server`, each on its own port of 127.0.0.1 with HTTPS) on
 * one PostgreSQL database, as several processes behind one address run. They share the database
 * and the data folder's TLS material and token secret (B's folder is a copy of A's), nothing
 * else: a poke for a change committed through one process must reach the live-updates streams held
 * by the other (LISTEN/NOTIFY), a token issued by one must work at the other, and a client may
 * land on either at every request.
 */

let cluster: PgCluster | null = null;
let database: TestDatabase;
/** A superuser connection to the cluster's own database, and the name of the service's. */
let admin: pg.Client;
let dbName: string;
const dirs = new TempDirs();
const services: ServiceProcess[] = [];
let a: ServiceProcess;
let b: ServiceProcess;
let apiA: ApiClient;
let apiB: ApiClient;
let ticketId: string;
const output: string[] = [];

beforeAll(async () => {
  const clusterUrl = testPostgresUrl() ?? (cluster = await startPgCluster()).url;
  database = await testDatabaseFor(clusterUrl, `several-processes-${randomUUID()}`);
  dbName = new URL(database.url).pathname.slice(1);
  admin = new pg.Client({ connectionString: clusterUrl });
  await admin.connect();
  const log = (line: string) => output.push(line);
  const dirA = dirs.make('helpdesk-process-a-');
  a = await startService(dirA, log, { databaseUrl: database.url, args: ['--demo'] });
  services.push(a);
  b = await startSecondService(a, dirs.make('helpdesk-process-b-'), log, {
    databaseUrl: database.url,
  });
  services.push(b);
  apiA = new ApiClient(a.url, a.ca);
  apiB = new ApiClient(b.url, a.ca);
  const reader = await apiA.session('acme', 'admin@acme.test');
  const page = await reader.pull('0', 5000);
  ticketId = page.body.changes.find((c) => c.entity === 'ticket')!.id;
}, 120_000);

afterAll(async () => {
  await Promise.all(services.map((s) => s.stop()));
  await admin?.end();
  await database?.drop();
  cluster?.stop();
  dirs.cleanup();
});

/** A live-updates stream held open through the desktop's own client, its pokes' cursors kept. */
interface Stream {
  cursors: string[];
  /** Resolves when `n` pokes have arrived in all. */
  pokes(n: number, what: string): Promise<void>;
  stop(): void;
}

const streams: Stream[] = [];

async function openStream(service: ServiceProcess, token: string): Promise<Stream> {
  const client = new ServiceClient({ serverUrl: service.url, ca: a.ca });
  const controller = new AbortController();
  const cursors: string[] = [];
  let failure: unknown = null;
  client
    .openEvents(token, (poke) => cursors.push(poke.cursor), controller.signal)
    .catch((error: unknown) => {
      failure = error;
    });
  const stream: Stream = {
    cursors,
    async pokes(n, what) {
      await waitFor(what, () => {
        if (failure) throw failure as Error;
        return cursors.length >= n;
      });
    },
    stop() {
      controller.abort();
      client.close();
    },
  };
  streams.push(stream);
  await stream.pokes(1, 'the first poke');
  return stream;
}

afterAll(() => {
  for (const stream of streams) stream.stop();
});

const comment = (ticket = ticketId) => ({
  name: 'addComment',
  args: { id: randomUUID(), ticketId: ticket, body: 'through another process', public: true },
});

/** The ids of the comments a pull from `cursor` returns (all pages). */
async function commentsSince(session: SyncSession, cursor: string): Promise<string[]> {
  const pages = await session.pullAll(cursor);
  return pages.flatMap((p) => p.changes.filter((c) => c.entity === 'comment').map((c) => c.id));
}

/** The same signed-in session (tokens, client id) spoken through another process. */
const through = (api: ApiClient, session: SyncSession) =>
  new SyncSession(api, session.tokens, session.clientId);

/** Pushes the session's next mutation through another process. */
const sendThrough = (
  api: ApiClient,
  session: SyncSession,
  mutation: Omit<MutationEnvelope, 'id'>,
) => through(api, session).push([{ ...mutation, id: session.nextMutationId++ }]);

describe('two service processes on one PostgreSQL database', () => {
  it('share one development CA (the copied folder) and serve the same tenants', () => {
    expect(b.ca).toBe(a.ca);
    expect(a.url).not.toBe(b.url);
  });

  it.each([
    { stream: 'A', push: 'B' },
    { stream: 'B', push: 'A' },
  ] as const)(
    'a stream on $stream is poked for a push through $push; a pull through $stream returns it',
    async ({ stream: streamAt, push: pushAt }) => {
      const [streamService, streamApi] = streamAt === 'A' ? [a, apiA] : [b, apiB];
      const pushApi = pushAt === 'A' ? apiA : apiB;
      const reader = await streamApi.session('acme', 'agent1@acme.test');
      const writer = await pushApi.session('acme', 'agent2@acme.test');
      const stream = await openStream(streamService, reader.token);
      const before = stream.cursors[0]!;
      const mutation = comment();
      const pushed = await writer.send(mutation);
      expect(pushed.status).toBe(200);
      expect(pushed.body.results[0]).toMatchObject({ status: 'applied' });
      await stream.pokes(2, `the poke on ${streamAt} for the push through ${pushAt}`);
      expect(stream.cursors[1]).not.toBe(before);
      expect(await commentsSince(reader, before)).toEqual([mutation.args.id]);
      // The poke's cursor is the head: nothing more to pull from it.
      expect(await commentsSince(reader, stream.cursors[1]!)).toEqual([]);
    },
  );

  it('accepts at one process the tokens issued by the other (no sticky sessions)', async () => {
    const session = await apiA.session('acme', 'agent3@acme.test');
    const atB = through(apiB, session);
    const pushed = await sendThrough(apiB, session, comment());
    expect(pushed.body.results[0]).toMatchObject({ status: 'applied' });
    const cursor = (await atB.pull('0', 5000)).body.cursor;
    // Pulls continue at A from the cursor B handed out, with the mutation ids B recorded.
    const pulled = await session.pull(cursor);
    expect(pulled.status).toBe(200);
    expect(pulled.body.lastMutationId).toBe(1);
    // A refresh token issued by A rotates at B, and the new pair works at A.
    const refreshed = await apiB.call('POST', '/api/v1/auth/refresh', {
      body: { refreshToken: session.tokens.refreshToken, clientId: session.clientId },
    });
    expect(refreshed.status).toBe(200);
    const renewed = new SyncSession(apiA, refreshed.body, session.clientId);
    expect((await renewed.pull(cursor)).status).toBe(200);
    // A log-out at B ends the session at A.
    const out = await apiB.call('POST', '/api/v1/auth/logout', {
      body: { refreshToken: refreshed.body.refreshToken },
    });
    expect(out.status).toBe(204);
    expect((await renewed.pull(cursor)).status).toBe(401);
  });

  it("never pokes one tenant's streams for another tenant's change, on either process", async () => {
    const acmeAgent = await apiA.session('acme', 'agent4@acme.test');
    const globexAdmin = await apiB.session('globex', 'admin@globex.test');
    const acmeA = await openStream(a, acmeAgent.token);
    const acmeB = await openStream(b, acmeAgent.token);
    const globexA = await openStream(a, globexAdmin.token);
    const globexB = await openStream(b, globexAdmin.token);
    const globexPush = await globexAdmin.send({
      name: 'createContact',
      args: { id: randomUUID(), name: 'Globex Customer' },
    });
    expect(globexPush.body.results[0]).toMatchObject({ status: 'applied' });
    await globexA.pokes(2, 'the globex poke on A');
    await globexB.pokes(2, 'the globex poke on B');
    // Notifications reach a process in commit order: once acme's later change has poked both
    // acme streams, a stray globex poke would have arrived before it.
    const acmePush = await sendThrough(apiB, acmeAgent, comment());
    expect(acmePush.body.results[0]).toMatchObject({ status: 'applied' });
    await acmeA.pokes(2, 'the acme poke on A');
    await acmeB.pokes(2, 'the acme poke on B');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect([acmeA, acmeB, globexA, globexB].map((s) => s.cursors.length)).toEqual([2, 2, 2, 2]);
    // Each acme poke is acme's head, which holds acme's comment and nothing of globex.
    const acmeFrom = acmeA.cursors[0]!;
    const changes = (await acmeAgent.pullAll(acmeFrom)).flatMap((p) => p.changes);
    expect(changes.map((c) => c.entity).sort()).toEqual(['comment', 'ticket']);
    expect(acmeA.cursors[1]).toBe(acmeB.cursors[1]);
  });

  it('applies once a batch one client sends to both processes at the same time', async () => {
    const session = await apiA.session('acme', 'agent5@acme.test');
    const atB = through(apiB, session);
    const batch: MutationEnvelope[] = Array.from({ length: 6 }, (_, i) => ({
      ...comment(),
      id: i + 1,
    }));
    const head = (await session.pull('0', 5000)).body.cursor;
    const [fromA, fromB] = await Promise.all([session.push(batch), atB.push(batch)]);
    expect([fromA.status, fromB.status]).toEqual([200, 200]);
    for (const [i, mutation] of batch.entries()) {
      const answers = [fromA.body.results[i]!, fromB.body.results[i]!];
      // Each process answers for every mutation: one applied it, or it is the other's duplicate.
      const outcomes = answers.map((r) => (r.status === 'duplicate' ? r.original : r));
      expect(outcomes, `mutation ${mutation.id}`).toEqual([
        expect.objectContaining({ status: 'applied' }),
        expect.objectContaining({ status: 'applied' }),
      ]);
      expect(
        answers.filter((r) => r.status === 'applied'),
        `mutation ${mutation.id}`,
      ).toHaveLength(1);
    }
    const comments = await commentsSince(session, head);
    expect(comments.sort()).toEqual(batch.map((m) => (m.args as { id: string }).id).sort());
  });
});

describe('the LISTEN connection', () => {
  const connectionFailures = () =>
    output.filter((line) => line.includes('database connection failed')).length;
  const listeners = async () =>
    (
      await admin.query<{ pid: number }>(
        `SELECT pid FROM pg_stat_activity
         WHERE datname = $1 AND application_name = $2`,
        [dbName, LISTENER_APPLICATION_NAME],
      )
    ).rows.map((r) => r.pid);

  it('is reopened when PostgreSQL drops it; changes committed meanwhile still poke', async () => {
    const session = await apiA.session('acme', 'agent1@acme.test');
    const onA = await openStream(a, session.token);
    const onB = await openStream(b, session.token);
    const dropped = await listeners();
    expect(dropped).toHaveLength(2);
    await admin.query('SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid', [dropped]);
    // Pushed while neither process listens: the NOTIFY reaches nobody.
    const mutation = comment();
    const pushed = await sendThrough(apiB, session, mutation);
    expect(pushed.body.results[0]).toMatchObject({ status: 'applied' });
    // Reconnected, each process pokes its streams with the head it reads.
    await onA.pokes(2, 'a poke on A after its listener came back');
    await onB.pokes(2, 'a poke on B after its listener came back');
    expect(await commentsSince(session, onA.cursors[0]!)).toContain(mutation.args.id);
    await waitFor('two new listeners', async () => {
      const now = await listeners();
      return now.length === 2 && now.every((pid) => !dropped.includes(pid));
    });
    const later = await session.send(comment());
    expect(later.body.results[0]).toMatchObject({ status: 'applied' });
    await onB.pokes(3, 'a poke on B for a push through A');
  });

  it('keeps trying while the database refuses connections, and listens once it accepts', async () => {
    const session = await apiA.session('acme', 'agent2@acme.test');
    const onB = await openStream(b, session.token);
    const dropped = await listeners();
    const failuresBefore = connectionFailures();
    await admin.query(`ALTER DATABASE ${dbName} ALLOW_CONNECTIONS false`);
    try {
      await admin.query('SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid', [
        dropped,
      ]);
      // Long enough for the first attempt to reconnect (after 1 s) to be refused.
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      expect(await listeners()).toEqual([]);
    } finally {
      await admin.query(`ALTER DATABASE ${dbName} ALLOW_CONNECTIONS true`);
    }
    await waitFor(
      'both processes listening again',
      async () => (await listeners()).length === 2,
      20_000,
    );
    const pokesBefore = onB.cursors.length;
    const pushed = await session.send(comment());
    expect(pushed.body.results[0]).toMatchObject({ status: 'applied' });
    await onB.pokes(pokesBefore + 1, 'a poke on B for a push through A');
    // Each process reported its drop and at least one refused attempt.
    expect(connectionFailures()).toBeGreaterThanOrEqual(failuresBefore + 4);
  }, 60_000);
});

describe('behind one address (a round-robin TCP proxy)', () => {
  let proxy: RoundRobinProxy;
  const clients: SyncClient[] = [];

  beforeAll(async () => {
    proxy = await startRoundRobinProxy([a, b].map((s) => Number(new URL(s.url).port)));
  });
  afterAll(async () => {
    for (const client of clients) await client.close();
    await proxy?.close();
  });

  async function desktop(email: string): Promise<SyncClient> {
    const client = await openSyncClient({
      serviceUrl: proxy.url,
      ca: a.ca,
      tenant: 'acme',
      email,
      dir: dirs.make('helpdesk-behind-proxy-'),
    });
    clients.push(client);
    client.engine.start();
    await waitForState(client.engine, 'idle', 30_000);
    return client;
  }

  /** A comment made in one desktop; the other has it once pokes (the only trigger) reach it. */
  async function commentReaches(from: SyncClient, to: SyncClient): Promise<void> {
    const id = randomUUID();
    from.replica.mutate(
      'addComment',
      { id, ticketId, body: 'behind one address', public: true },
      new Date().toISOString(),
    );
    from.engine.requestSync();
    await waitFor(
      `comment ${id} in the other desktop`,
      () => to.replica.reader().get('comment', id) !== null,
    );
  }

  it('keeps desktop sync engines converging, their connections spread over both processes', async () => {
    const one = await desktop('agent3@acme.test');
    const two = await desktop('agent4@acme.test');
    await commentReaches(one, two);
    await commentReaches(two, one);
    // Every connection cut: the engines reconnect, each onto the next process in turn.
    const before = proxy.routes.length;
    proxy.resetAll();
    await commentReaches(one, two);
    await commentReaches(two, one);
    expect(proxy.routes.length).toBeGreaterThan(before);
    expect(new Set(proxy.routes)).toEqual(new Set([0, 1]));
    for (const client of [one, two]) {
      await waitForState(
        client.engine,
        'idle',
        30_000,
        () => client.engine.snapshot().pending === 0,
      );
    }
    const service = await serverState(apiA, 'acme', 'agent3@acme.test');
    for (const client of [one, two]) {
      const shown = replicaState(client.replica);
      expect(sorted(shown.comments)).toEqual(sorted(service.comments));
      expect(sorted(shown.tickets)).toEqual(sorted(service.tickets));
    }
  }, 90_000);
});
