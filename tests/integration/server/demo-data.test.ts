import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENTITY_SCHEMAS, isEntityName } from '../../../src-shared/domain/entities';
import { TICKET_PRIORITIES, TICKET_STATUSES } from '../../../src-shared/domain/enums';
import type { Change } from '../../../src-shared/protocol/sync';
import { startTestServer, type TestServer } from '../../support/test-server';

let t: TestServer;

beforeAll(async () => {
  t = await startTestServer({ demo: true });
});
afterAll(() => t.close());

async function snapshot(tenant: string, email: string): Promise<Change[]> {
  const session = await t.api.session(tenant, email);
  return (await session.pullAll('0', 5000)).flatMap((page) => page.changes);
}

describe('--demo data', () => {
  it('seeds acme with 300+ valid tickets over every status and priority, with comments, contacts and tags', async () => {
    const changes = await snapshot('acme', 'agent3@acme.test');
    for (const change of changes) {
      expect(change.op).toBe('upsert');
      if (change.op === 'upsert' && isEntityName(change.entity)) {
        expect(ENTITY_SCHEMAS[change.entity].safeParse(change.data).success).toBe(true);
      }
    }
    const tickets = changes
      .filter((c) => c.entity === 'ticket')
      .map((c) => (c as { data: any }).data);
    const comments = changes
      .filter((c) => c.entity === 'comment')
      .map((c) => (c as { data: any }).data);
    expect(tickets.length).toBeGreaterThanOrEqual(300);
    expect(new Set(tickets.map((x) => x.status))).toEqual(new Set(TICKET_STATUSES));
    expect(new Set(tickets.map((x) => x.priority))).toEqual(new Set(TICKET_PRIORITIES));
    expect(tickets.every((x) => Number.isInteger(x.number))).toBe(true);
    expect(new Set(tickets.map((x) => x.number)).size).toBe(tickets.length);
    expect(tickets.some((x) => x.tags.length > 0)).toBe(true);
    expect(comments.some((c) => c.public)).toBe(true);
    expect(comments.some((c) => !c.public)).toBe(true);
    // Internal notes are written by agents, never by the requester.
    expect(comments.filter((c) => !c.public && c.authorId === null)).toEqual([]);
    expect(changes.filter((c) => c.entity === 'contact').length).toBeGreaterThan(10);
    const users = changes
      .filter((c) => c.entity === 'user')
      .map((c) => (c as { data: any }).data.email);
    expect(users.sort()).toEqual(
      ['admin@acme.test', ...[1, 2, 3, 4, 5].map((n) => `agent${n}@acme.test`)].sort(),
    );
  });

  it('gives globex its own data and every demo account the demo password', async () => {
    const acme = new Set((await snapshot('acme', 'admin@acme.test')).map((c) => c.id));
    const globex = await snapshot('globex', 'admin@globex.test');
    expect(globex.filter((c) => c.entity === 'ticket').length).toBeGreaterThan(0);
    expect(globex.some((c) => acme.has(c.id))).toBe(false);
    for (const email of ['agent1@acme.test', 'agent5@acme.test', 'admin@globex.test']) {
      const tenant = email.split('@')[1]!.split('.')[0]!;
      await expect(t.api.login(tenant, email)).resolves.toMatchObject({ user: { email } });
    }
  });

  it('does not seed twice when restarted on the same data folder', async () => {
    const before = (await snapshot('acme', 'admin@acme.test')).length;
    const { startServer } = await import('../../../src-server/server');
    await t.server.close();
    t.server = await startServer({ port: 0, dataDir: t.dataDir, demo: true, logLevel: 'silent' });
    t.api = new (await import('../../support/api-client')).ApiClient(t.server.url, t.ca);
    expect((await snapshot('acme', 'admin@acme.test')).length).toBe(before);
  });
});
