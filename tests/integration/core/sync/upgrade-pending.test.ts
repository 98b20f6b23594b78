import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPLICA_MIGRATIONS } from '../../../../src-main/core/replica/migrations';
import { openReplica, replicaFileName } from '../../../../src-main/core/replica/replica';
import { Random } from '../../../../src-server/demo/random';
import { createSmallTenant } from '../../../chaos/chaos-tenant';
import { FORMAT_ZERO_UPCASTS, writeFormatZero } from '../../../support/format-zero';
import {
  entries,
  leftovers,
  mutationRecordsOf,
  openServerDb,
  openSyncClient,
  replicaState,
  serverState,
  sorted,
  TempDirs,
  type SyncClient,
} from '../../../support/sync-harness';
import { startTestServer, type TestServer } from '../../../support/test-server';
import { copyToVersion } from '../replica/old-replica';
import { projectionMismatches } from '../replica/replica-fixtures';
import BetterSqlite3 from 'better-sqlite3';

/**
 * An upgrade of the app with 500 changes made offline and not yet sent: the replica is at the
 * previous schema version, and its outbox in the previous mutation format (the tests' format 0,
 * tests/support/format-zero.ts: renamed mutations, an arg added with a default). The new version
 * opens it (the migrations run, the mutations are rewritten in the current format, the view is
 * rebased) and syncs with the real service: each of the 500 is applied exactly once, and the
 * replica ends equal to the service.
 */

const PENDING = 500;
const SLUG = 'upgrade';

let t: TestServer;
let serverDb: Database;
let email: string;
const dirs = new TempDirs();

beforeAll(async () => {
  t = await startTestServer({ logLevel: 'warn' });
  email = `agent1@${await createSmallTenant(t.server.storage, SLUG, 40, 5)}`;
  serverDb = openServerDb(t.dataDir);
});
afterAll(async () => {
  serverDb?.close();
  await t?.close();
  dirs.cleanup();
});

const setup = (dir: string) => ({ serviceUrl: t.server.url, ca: t.ca, tenant: SLUG, email, dir });

/** 500 changes of every kind format 0 wrote differently, and one it wrote the same. */
function queueOfflineWork(client: SyncClient): void {
  const rng = new Random(PENDING);
  const tickets = client.replica.all('ticket').map((ticket) => ticket.id);
  expect(tickets.length).toBe(40);
  const now = () => new Date().toISOString();
  for (let n = 1; n <= PENDING; n++) {
    const ticketId = rng.pick(tickets);
    const kind = rng.weighted([
      ['reply', 3],
      ['tag', 2],
      ['status', 2],
      ['priority', 1],
    ] as const);
    if (kind === 'reply') {
      const args = { id: rng.uuid(Date.now()), ticketId, body: `upgrade ${n}`, public: true };
      client.replica.mutate('addComment', args, now());
    } else if (kind === 'tag') {
      client.replica.mutate('addTags', { ticketId, tags: [`u${n}`] }, now());
    } else if (kind === 'status') {
      const status = rng.pick(['open', 'pending', 'solved'] as const);
      client.replica.mutate('setTicketFields', { ticketId, fields: { status } }, now());
    } else {
      const priority = rng.pick(['low', 'normal', 'high'] as const);
      client.replica.mutate('setTicketFields', { ticketId, fields: { priority } }, now());
    }
  }
}

const outboxRows = (db: Database) =>
  db.prepare('SELECT id, name, args, base, inverse, seen FROM outbox ORDER BY id').all();

describe('an upgrade with changes made offline', () => {
  it(`sends ${PENDING} pending mutations of the previous schema and format, each once`, async () => {
    // The previous version's client: signed in, synced, then 500 changes offline.
    const before = dirs.make('helpdesk-upgrade-before-');
    const old = await openSyncClient(setup(before));
    await old.engine.syncNow();
    queueOfflineWork(old);
    const queued = outboxRows(old.replica.db);
    const view = replicaState(old.replica);
    const userId = old.login.user.id;
    const identity = JSON.parse(old.replica.meta('identity')!) as Parameters<typeof openReplica>[1];
    await old.close();

    // Its replica file as that version wrote it: the previous schema, format 0 in the outbox.
    const previous = REPLICA_MIGRATIONS.at(-2)!.version;
    const after = dirs.make('helpdesk-upgrade-after-');
    const file = join(after, replicaFileName(identity));
    copyToVersion(join(before, replicaFileName(identity)), file, previous);
    const written = new BetterSqlite3(file);
    writeFormatZero(written);
    expect(written.pragma('user_version', { simple: true })).toBe(previous);
    const names = new Set(outboxRows(written).map((row) => (row as { name: string }).name));
    expect([...names].sort()).toEqual(['addComment', 'addTag', 'setStatus', 'setTicketFields']);
    written.close();

    // The new version opens it: migrations, the mutations in the current format, the same view.
    const upgraded = openReplica(after, identity, { mutationUpcasts: FORMAT_ZERO_UPCASTS });
    try {
      expect(upgraded.db.pragma('user_version', { simple: true })).toBe(
        REPLICA_MIGRATIONS.at(-1)!.version,
      );
      expect(outboxRows(upgraded.db)).toEqual(queued);
      expect(upgraded.counts().pending).toBe(PENDING);
      expect(sorted(replicaState(upgraded).tickets)).toEqual(sorted(view.tickets));
      expect(sorted(replicaState(upgraded).comments)).toEqual(sorted(view.comments));
      expect(projectionMismatches(upgraded)).toEqual([]);
    } finally {
      upgraded.close();
    }

    // …and syncs.
    const client = await openSyncClient(setup(after));
    try {
      for (let cycle = 0; cycle < 10 && client.replica.counts().pending > 0; cycle++) {
        await client.engine.syncNow();
      }
      await client.engine.syncNow();
      expect(client.replica.counts()).toEqual({ pending: 0, needsAttention: 0 });
      expect(leftovers(client.replica)).toEqual({ outbox: 0, overlay: 0 });

      const records = mutationRecordsOf(serverDb, userId);
      expect(records.map((r) => r.mutationId)).toEqual(
        Array.from({ length: PENDING }, (_, i) => i + 1),
      );
      expect(new Set(records.map((r) => r.status))).toEqual(new Set(['applied']));
      expect(new Set(records.map((r) => r.clientId)).size).toBe(1);

      const server = await serverState(t.api, SLUG, email);
      const mine = replicaState(client.replica);
      expect(sorted(mine.tickets)).toEqual(sorted(server.tickets));
      expect(sorted(mine.comments)).toEqual(sorted(server.comments));
      expect(sorted(mine.contacts)).toEqual(sorted(server.contacts));
      expect(
        entries(new Map([...server.comments].filter(([, c]) => /^upgrade /.test(c.body)))),
      ).toHaveLength(
        (queued as Array<{ name: string }>).filter((row) => row.name === 'addComment').length,
      );
    } finally {
      await client.close();
    }
  }, 180_000);
});
