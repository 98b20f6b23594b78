import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProcessedResult } from '../../../src-shared/protocol/sync';
import {
  openSqliteStorage,
  type SqliteStorage,
} from '../../../src-server/storage/sqlite/sqlite-storage';
import { IDS, NOW } from '../../support/mutator-fixtures';
import { createTicketIn, seedStorageTenant } from '../../support/storage-fixtures';

const CLIENTS = 40;
const MUTATIONS_EACH = 5;
const tenantId = IDS.tenant;
const adminId = IDS.admin;
const agentId = IDS.agent;

/**
 * The SQLite storage's hot paths under concurrency, on a real file (docs/benchmarks.md, "Changes
 * in session 4"): mutations of many clients share one commit (group commit) yet each is applied
 * exactly once and fails alone; binding a client writes `last_seen_at` only when it is stale.
 */
describe('SQLite storage: group commit and client binding', () => {
  let dir: string;
  let file: string;
  let storage: SqliteStorage;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sqlite-group-commit-'));
    file = join(dir, 'helpdesk.sqlite');
    storage = openSqliteStorage(file);
    await seedStorageTenant(storage, 'grouped');
  });

  afterAll(async () => {
    await storage?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function createTicket(clientId: string, mutationId: number): Promise<ProcessedResult> {
    return createTicketIn(storage, clientId, mutationId, `Ticket ${mutationId} of ${clientId}`);
  }

  const clientIdOf = (n: number) => `30000000-0000-4000-8000-${n.toString(16).padStart(6, '0')}`;

  it('applies every client mutation exactly once; one out of order fails alone', async () => {
    const db = new BetterSqlite3(file, { readonly: true });
    const ticketsBefore = db.prepare("SELECT count(*) FROM records WHERE entity = 'ticket'");
    const before = ticketsBefore.pluck().get() as number;
    const clients = Array.from({ length: CLIENTS }, (_, i) => clientIdOf(i + 1));
    for (const clientId of clients) await storage.bindClient(tenantId, clientId, adminId, NOW);
    const stray = clientIdOf(0xfff);
    await storage.bindClient(tenantId, stray, adminId, NOW);
    // One poke per commit that moved the tenant's log.
    const commits: number[] = [];
    const unwatch = storage.watch(tenantId, (seq) => commits.push(seq));
    // All clients at once, each its own mutations in order: many land in the same group.
    const [results, strayOutcome] = await Promise.all([
      Promise.all(
        clients.map(async (clientId) => {
          const mine: ProcessedResult[] = [];
          for (let m = 1; m <= MUTATIONS_EACH; m++) mine.push(await createTicket(clientId, m));
          return mine;
        }),
      ),
      createTicket(stray, 7).then(
        () => 'applied',
        (error: Error) => error.message,
      ),
    ]);
    unwatch();
    expect(strayOutcome).toMatch(/out of order/);
    // Grouped: far fewer commits than mutations (each client has one in every group).
    expect(commits.length).toBeGreaterThanOrEqual(MUTATIONS_EACH);
    expect(commits.length).toBeLessThan(CLIENTS * MUTATIONS_EACH);
    for (const mine of results) {
      expect(mine.map((r) => [r.id, r.status])).toEqual(
        Array.from({ length: MUTATIONS_EACH }, (_, i) => [i + 1, 'applied']),
      );
    }
    expect(ticketsBefore.pluck().get()).toBe(before + CLIENTS * MUTATIONS_EACH);
    const recorded = db
      .prepare(
        'SELECT client_id, count(*) AS n, max(mutation_id) AS last FROM client_mutations GROUP BY client_id',
      )
      .all() as Array<{ client_id: string; n: number; last: number }>;
    expect(recorded.filter((r) => r.client_id !== stray)).toHaveLength(CLIENTS);
    expect(recorded.every((r) => r.n === MUTATIONS_EACH && r.last === MUTATIONS_EACH)).toBe(true);
    expect(recorded.some((r) => r.client_id === stray)).toBe(false);
    db.close();
  });

  it('writes last_seen_at when a client is new or last seen over an hour ago, not on every request', async () => {
    const db = new BetterSqlite3(file, { readonly: true });
    const seen = db.prepare('SELECT last_seen_at FROM sync_clients WHERE client_id = ?').pluck();
    const clientId = clientIdOf(0xa11);
    const at = (minutes: number) => new Date(Date.parse(NOW) + minutes * 60_000).toISOString();
    expect(await storage.bindClient(tenantId, clientId, agentId, at(0))).toEqual({
      userId: agentId,
      lastMutationId: 0,
    });
    expect(seen.get(clientId)).toBe(at(0));
    await storage.bindClient(tenantId, clientId, agentId, at(59));
    expect(seen.get(clientId)).toBe(at(0));
    await storage.bindClient(tenantId, clientId, agentId, at(61));
    expect(seen.get(clientId)).toBe(at(61));
    // Another user's request for the client neither takes it over nor counts as its visit.
    expect(await storage.bindClient(tenantId, clientId, adminId, at(200))).toEqual({
      userId: agentId,
      lastMutationId: 0,
    });
    expect(seen.get(clientId)).toBe(at(61));
    db.close();
  });
});
