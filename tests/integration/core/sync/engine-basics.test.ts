import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServiceClient } from '../../../../src-main/core/net/service-client';
import { openReplica, type Replica } from '../../../../src-main/core/replica/replica';
import {
  TokenSession,
  type RefreshTokenStore,
} from '../../../../src-main/core/session/token-session';
import { SyncEngine } from '../../../../src-main/core/sync/sync-engine';
import { startTestServer, type TestServer } from '../../../support/test-server';

/** A refresh-token store in a Map: these tests are about sync; the keychain has its own. */
class MemoryTokens implements RefreshTokenStore {
  readonly map = new Map<string, string>();
  async get(account: string) {
    return this.map.get(account) ?? null;
  }
  async set(account: string, secret: string) {
    this.map.set(account, secret);
  }
}

let t: TestServer;
const dirs: string[] = [];

beforeAll(async () => {
  t = await startTestServer({ demo: true, logLevel: 'warn' });
});
afterAll(async () => {
  await t.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function client(
  email: string,
): Promise<{ replica: Replica; engine: SyncEngine; api: ServiceClient; tokens: TokenSession }> {
  const dir = mkdtempSync(join(tmpdir(), 'helpdesk-replica-'));
  dirs.push(dir);
  const api = new ServiceClient({ serverUrl: t.server.url, ca: t.ca });
  const login = await api.login({ tenant: 'acme', email, password: 'demo-password-1' });
  const replica = openReplica(dir, {
    serverUrl: t.server.url,
    tenantId: login.tenant.id,
    tenantSlug: 'acme',
    userId: login.user.id,
    role: login.user.role,
  });
  const tokens = new TokenSession(api, new MemoryTokens(), 'account', () => replica.clientId);
  await tokens.adopt(login);
  const engine = new SyncEngine({ replica, api, tokens, snapshotPageSize: 200, pageSize: 100 });
  return { replica, engine, api, tokens };
}

describe('sync engine against the real service', () => {
  it('asks for the next page before writing the current one, one page ahead at most', async () => {
    const { replica, api, tokens } = await client('agent5@acme.test');
    const events: string[] = [];
    const cursors: string[] = [];
    const engine = new SyncEngine({
      replica,
      api: {
        pull: async (cursor, limit, clientId, token) => {
          events.push(`ask ${cursor}`);
          const page = await api.pull(cursor, limit, clientId, token);
          cursors.push(page.cursor);
          return page;
        },
        push: (request, clientId, token) => api.push(request, clientId, token),
      },
      tokens,
      snapshotPageSize: 100,
    });
    const apply = replica.applyPullPage.bind(replica);
    replica.applyPullPage = (page, now) => {
      events.push(`write ${page.cursor}`);
      return apply(page, now);
    };
    expect((await engine.syncNow()).state).toBe('idle');
    expect(cursors.length).toBeGreaterThan(3);
    // Page n is asked for from the cursor of page n - 1, before page n - 1 is written; the last
    // page (hasMore false) asks for nothing more.
    const expected = ['ask 0'];
    cursors.forEach((cursor, i) => {
      if (i < cursors.length - 1) expected.push(`ask ${cursor}`);
      expected.push(`write ${cursor}`);
    });
    expect(events).toEqual(expected);
    expect(replica.cursor).toBe(cursors.at(-1));
    const count = (entity: string) =>
      (
        replica.db.prepare('SELECT count(*) AS n FROM base WHERE entity = ?').get(entity) as {
          n: number;
        }
      ).n;
    expect(count('ticket')).toBeGreaterThanOrEqual(300);
    expect((replica.db.prepare('SELECT count(*) AS n FROM tickets').get() as { n: number }).n).toBe(
      count('ticket'),
    );
  });

  it('runs an initial sync with progress, then pushes a local change that another client receives', async () => {
    const a = await client('agent1@acme.test');
    const b = await client('agent2@acme.test');
    const progress: Array<{ done: number; total: number | null }> = [];
    const states: string[] = [];
    a.engine.subscribe((s) => {
      if (states.at(-1) !== s.status.state) states.push(s.status.state);
      if (s.status.state === 'initial-sync')
        progress.push({ done: s.status.done, total: s.status.total });
    });
    expect((await a.engine.syncNow()).state).toBe('idle');
    // The first download is an initial sync from its very start (the app shows its setup screen),
    // never a plain 'syncing' over an empty replica.
    expect(states).not.toContain('syncing');
    expect(progress[0]).toEqual({ done: 0, total: null });
    expect((await b.engine.syncNow()).state).toBe('idle');
    expect(progress.length).toBeGreaterThan(3);
    expect(progress.at(-1)!.done).toBe(progress.at(-1)!.total);
    const count = (r: Replica) =>
      (r.db.prepare('SELECT count(*) AS n FROM tickets').get() as { n: number }).n;
    expect(count(a.replica)).toBeGreaterThanOrEqual(300);
    expect(count(b.replica)).toBe(count(a.replica));

    const ticketId = (
      a.replica.db.prepare("SELECT id FROM tickets WHERE status = 'open' LIMIT 1").get() as {
        id: string;
      }
    ).id;
    a.replica.mutate(
      'setTicketFields',
      { ticketId, fields: { status: 'pending' } },
      new Date().toISOString(),
    );
    a.replica.mutate('addTags', { ticketId, tags: ['Engine-Test'] }, new Date().toISOString());
    expect(a.replica.counts().pending).toBe(2);
    await a.engine.syncNow();
    expect(a.replica.counts()).toEqual({ pending: 0, needsAttention: 0 });
    await b.engine.syncNow();
    const seen = b.replica.reader().get('ticket', ticketId)!;
    expect(seen.status).toBe('pending');
    expect(seen.tags).toContain('engine-test');
  });

  it('turns a concurrent edit of the same field into a needs-attention item with both values', async () => {
    const a = await client('agent3@acme.test');
    const b = await client('agent4@acme.test');
    await a.engine.syncNow();
    await b.engine.syncNow();
    const ticketId = (
      a.replica.db.prepare("SELECT id FROM tickets WHERE status = 'new' LIMIT 1").get() as {
        id: string;
      }
    ).id;
    b.replica.mutate(
      'setTicketFields',
      { ticketId, fields: { status: 'solved' } },
      new Date().toISOString(),
    );
    await b.engine.syncNow();
    a.replica.mutate(
      'setTicketFields',
      { ticketId, fields: { status: 'on_hold', priority: 'urgent' } },
      new Date().toISOString(),
    );
    await a.engine.syncNow();
    const [item] = a.replica.needsAttention();
    expect(item).toMatchObject({
      kind: 'conflict',
      conflicts: [{ field: 'status', server: 'solved', mine: 'on_hold' }],
    });
    const after = a.replica.reader().get('ticket', ticketId)!;
    expect(after.status).toBe('solved');
    expect(after.priority).toBe('urgent');
    expect(a.replica.counts().pending).toBe(0);
  });
});
