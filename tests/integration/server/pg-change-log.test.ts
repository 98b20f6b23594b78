import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  openPostgresStorage,
  type PgStorage,
} from '../../../src-server/storage/postgres/pg-storage';
import type { PulledChange } from '../../../src-server/storage/storage';
import { IDS, NOW } from '../../support/mutator-fixtures';
import { startPgCluster, type PgCluster } from '../../support/pg-cluster';
import { createTicketIn, seedStorageTenant } from '../../support/storage-fixtures';
import { testDatabaseFor, testPostgresUrl, type TestDatabase } from '../../support/test-database';

const WRITERS = 20;
const TICKETS_PER_WRITER = 12;
const PULLERS = 4;
/** Hundreds of transactions: more than the default allows on a loaded machine. */
const TIMEOUT_MS = 180_000;

const tenantId = IDS.tenant;
const adminId = IDS.admin;

/**
 * The change log under concurrent transactions on PostgreSQL: writers on two storages (two
 * "service processes", each with its own pool) push ticket creations to one tenant while pullers
 * pull in small pages in a loop. A change that committed below a cursor already handed out would
 * be lost to that puller for good; so each puller must end with exactly the server's changes.
 */
describe('PostgreSQL change log under concurrent writers and pullers', () => {
  let cluster: PgCluster | null = null;
  let database: TestDatabase;
  let writerSide: PgStorage;
  let readerSide: PgStorage;

  beforeAll(async () => {
    const clusterUrl = testPostgresUrl() ?? (cluster = await startPgCluster()).url;
    database = await testDatabaseFor(clusterUrl, `change-log-${randomUUID()}`);
    writerSide = await openPostgresStorage(database.url);
    readerSide = await openPostgresStorage(database.url);
    await seedStorageTenant(writerSide, 'concurrency');
  });

  afterAll(async () => {
    await writerSide?.close();
    await readerSide?.close();
    await database?.drop();
    cluster?.stop();
  });

  async function writer(index: number, storage: PgStorage): Promise<string[]> {
    const clientId = randomUUID();
    await storage.bindClient(tenantId, clientId, adminId, NOW);
    const created: string[] = [];
    for (let mutationId = 1; mutationId <= TICKETS_PER_WRITER; mutationId++) {
      const id = randomUUID();
      const subject = `Writer ${index} ticket ${mutationId}`;
      const result = await createTicketIn(storage, clientId, mutationId, subject, id);
      expect(result).toMatchObject({ id: mutationId, status: 'applied' });
      created.push(id);
    }
    return created;
  }

  async function pullAll(storage: PgStorage, clientId: string, after: number) {
    const changes: PulledChange[] = [];
    let cursor = after;
    for (;;) {
      const page = await storage.pull({
        tenantId,
        userId: adminId,
        role: 'admin',
        clientId,
        afterSeq: cursor,
        snapshotSeq: null,
        limit: 7,
      });
      changes.push(...page.changes);
      cursor = page.lastSeq;
      if (!page.hasMore) return { changes, cursor };
    }
  }

  it(
    'never hands a cursor past a change that has yet to commit',
    async () => {
      let writing = true;
      const pokes: number[] = [];
      const unwatch = readerSide.watch(tenantId, (seq) => pokes.push(seq));
      const pullers = Array.from({ length: PULLERS }, async () => {
        const seen = new Map<string, number>();
        let cursor = 0;
        let pulls = 0;
        // Pull while the writers run, then once more after they are done.
        for (let last = false; ; last = !writing) {
          const page = await pullAll(readerSide, 'puller', cursor);
          for (const c of page.changes) {
            expect(c.seq).toBeGreaterThan(cursor);
            seen.set(`${c.entity}:${c.id}`, c.seq);
          }
          cursor = page.cursor;
          pulls++;
          if (last) return { seen, pulls };
        }
      });
      const created = (
        await Promise.all(
          Array.from({ length: WRITERS }, (_, i) => writer(i, i % 2 ? writerSide : readerSide)),
        ).finally(() => {
          writing = false;
        })
      ).flat();
      const results = await Promise.all(pullers);

      const everything = await pullAll(readerSide, 'final', 0);
      const server = new Map(everything.changes.map((c) => [`${c.entity}:${c.id}`, c.seq]));
      const tickets = everything.changes.filter((c) => c.entity === 'ticket');
      expect(tickets.map((c) => c.id).sort()).toEqual([...created].sort());
      // Ticket numbers come from the same tenant row: one each, none twice, none missing.
      const numbers = tickets.map((c) => (JSON.parse(c.data!) as { number: number }).number);
      expect(numbers.sort((a, b) => a - b)).toEqual(
        Array.from({ length: WRITERS * TICKETS_PER_WRITER }, (_, i) => i + 1),
      );
      for (const { seen, pulls } of results) {
        expect(pulls).toBeGreaterThan(1);
        expect(seen).toEqual(server);
      }
      // Every commit notified listeners on the other storage's connection too.
      await expect.poll(() => pokes.at(-1)).toBe((await readerSide.getTenant(tenantId))!.lastSeq);
      unwatch();
    },
    TIMEOUT_MS,
  );
});
