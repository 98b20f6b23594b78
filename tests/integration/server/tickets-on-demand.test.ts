import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Attachment, Comment, Ticket } from '../../../src-shared/domain/entities';
import type { Change, PullResponse } from '../../../src-shared/protocol/sync';
import type { TicketThread } from '../../../src-shared/protocol/tickets';
import { SyncSession } from '../../support/api-client';
import { expectApiError } from '../../support/api-errors';
import { startTestServer, type TestServer } from '../../support/test-server';

/**
 * A service for clients that keep only recent tickets offline (docs/protocol.md, "Tickets on
 * demand" and "Pull"): a snapshot with `updatedSince` leaves out older tickets with their comments
 * and attachments, and sends everything else exactly as a full snapshot does; older tickets come
 * one at a time by number or id, or by a search of their words. Tenant-scoped, authenticated, and
 * a bad request is a 400 or a 404, never more. Runs on SQLite and on PostgreSQL.
 */

let t: TestServer;
let agent: SyncSession;
let globex: SyncSession;
/** The demo tenant as a full snapshot shows it. */
let full: Change[];
let tickets: Ticket[];
/** Half the demo's tickets were last updated before this. */
let since: string;

const dataOf = <T>(c: Change) => (c.op === 'upsert' ? c.data : null) as T;
const upserts = (changes: Change[], entity: string) =>
  changes.filter((c) => c.entity === entity && c.op === 'upsert');

beforeAll(async () => {
  t = await startTestServer({ demo: true });
  [agent, globex] = await Promise.all([
    t.api.session('acme', 'agent1@acme.test'),
    t.api.session('globex', 'admin@globex.test'),
  ]);
  full = (await agent.pullAll('0', 5000)).flatMap((p) => p.changes);
  tickets = upserts(full, 'ticket').map((c) => dataOf<Ticket>(c));
  const times = tickets.map((ticket) => ticket.updatedAt).sort();
  since = times[Math.floor(times.length / 2)]!;
});
afterAll(() => t?.close());

function get<T = any>(path: string, session: SyncSession | null = agent) {
  return t.api.call<T>('GET', path, session ? { token: session.token } : {});
}

/** A snapshot with a window, by pages of `limit`, on a new client. */
async function windowedSnapshot(updatedSince: string, limit = 500): Promise<PullResponse[]> {
  const client = new SyncSession(t.api, agent.tokens, randomUUID());
  const pages: PullResponse[] = [];
  let cursor = '0';
  for (;;) {
    const query = new URLSearchParams({ cursor, limit: String(limit), updatedSince });
    const response = await t.api.call<PullResponse>('GET', `/api/v1/sync/pull?${query}`, {
      token: client.token,
      clientId: client.clientId,
    });
    expect(response.status).toBe(200);
    pages.push(response.body);
    cursor = response.body.cursor;
    if (!response.body.hasMore) return pages;
  }
}

describe('a snapshot with updatedSince', () => {
  it('leaves out older tickets and their children, and sends the rest as a full one does', async () => {
    const changes = (await windowedSnapshot(since, 300)).flatMap((p) => p.changes);
    const recent = new Set(tickets.filter((x) => x.updatedAt >= since).map((x) => x.id));
    expect(recent.size).toBeGreaterThan(0);
    expect(recent.size).toBeLessThan(tickets.length);
    const kept = (c: Change) => {
      if (c.entity === 'ticket') return recent.has(c.id);
      if (c.entity === 'comment' || c.entity === 'attachment')
        return recent.has(dataOf<{ ticketId: string }>(c).ticketId);
      return true;
    };
    const key = (c: Change) => `${c.entity}:${c.id}`;
    expect(changes.map(key).sort()).toEqual(full.filter(kept).map(key).sort());
    // Contacts, users, the company and the user's own records are not windowed.
    expect(upserts(changes, 'contact').length).toBe(upserts(full, 'contact').length);
    expect(changes.some((c) => c.entity === 'profile')).toBe(true);
  });

  it('is ignored once the snapshot is over: every later change goes out', async () => {
    const pages = await windowedSnapshot(new Date(Date.now() + 86_400_000).toISOString());
    expect(
      upserts(
        pages.flatMap((p) => p.changes),
        'ticket',
      ),
    ).toEqual([]);
    const old = tickets.find((x) => x.updatedAt < since)!;
    const client = new SyncSession(t.api, agent.tokens, randomUUID());
    await client.pullAll('0', 5000);
    // The head cursor of that client; then a note on an old ticket, and a pull with a window.
    const head = (await client.pullAll('0', 5000)).at(-1)!.cursor;
    const note = { id: randomUUID(), ticketId: old.id, body: 'Still here.', public: false };
    const pushed = await agent.send({ name: 'addComment', args: note });
    expect(pushed.body.results.map((r) => r.status)).toEqual(['applied']);
    const query = new URLSearchParams({ cursor: head, updatedSince: '2999-01-01T00:00:00Z' });
    const response = await t.api.call<PullResponse>('GET', `/api/v1/sync/pull?${query}`, {
      token: client.token,
      clientId: client.clientId,
    });
    expect(response.status).toBe(200);
    const ids = response.body.changes.map((c) => c.id);
    expect(ids).toContain(old.id);
    expect(ids).toContain(note.id);
  });

  it('refuses a value that is not an ISO-8601 UTC time', async () => {
    for (const bad of ['yesterday', '2026-01-01', '2026-01-01T00:00:00+02:00', '']) {
      const query = new URLSearchParams({ cursor: '0', updatedSince: bad });
      const response = await t.api.call('GET', `/api/v1/sync/pull?${query}`, {
        token: agent.token,
        clientId: agent.clientId,
      });
      expectApiError(response, 400, 'bad_request');
      expect(response.body.error.details[0].path).toBe('updatedSince');
    }
  });
});

describe('GET /api/v1/tickets/<number or id>', () => {
  it('answers the ticket with its comments and attachments, by number and by id', async () => {
    // As the service has it now (an earlier test wrote to a ticket).
    const now = (await agent.pullAll('0', 5000)).flatMap((p) => p.changes);
    const ticket = upserts(now, 'ticket')
      .map((c) => dataOf<Ticket>(c))
      .find((x) => upserts(now, 'comment').some((c) => dataOf<Comment>(c).ticketId === x.id))!;
    const uploaded = await t.api.call<{ attachment: Attachment }>(
      'POST',
      `/api/v1/tickets/${ticket.id}/attachments?name=log.txt`,
      {
        token: agent.token,
        rawBody: Buffer.from('a log'),
        headers: { 'content-type': 'text/plain' },
      },
    );
    expect(uploaded.status).toBe(201);
    const comments = upserts(now, 'comment')
      .map((c) => dataOf<Comment>(c))
      .filter((c) => c.ticketId === ticket.id)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));

    const byNumber = await get<TicketThread>(`/api/v1/tickets/${ticket.number}`);
    expect(byNumber.status).toBe(200);
    expect(byNumber.body).toEqual({
      ticket,
      comments,
      attachments: [uploaded.body.attachment],
    });
    const byId = await get<TicketThread>(`/api/v1/tickets/${ticket.id}`);
    expect(byId.body).toEqual(byNumber.body);
  });

  it('answers 404 alike for a missing, malformed or foreign ticket, and 401 without a token', async () => {
    const foreign = upserts(
      (await globex.pullAll('0', 5000)).flatMap((p) => p.changes),
      'ticket',
    ).map((c) => dataOf<Ticket>(c))[0]!;
    const highest = Math.max(...tickets.map((x) => x.number!));
    for (const ref of [
      String(highest + 1000),
      randomUUID(),
      foreign.id,
      '0',
      '-1',
      '1e3',
      '012',
      'abc',
      '9'.repeat(40),
    ]) {
      expectApiError(await get(`/api/v1/tickets/${encodeURIComponent(ref)}`), 404, 'not_found');
    }
    // Numbers are per tenant: globex's number answers acme's ticket of that number, if any.
    const sameNumber = await get<TicketThread>(`/api/v1/tickets/${foreign.number}`);
    if (sameNumber.status === 200) expect(sameNumber.body.ticket.id).not.toBe(foreign.id);
    expectApiError(await get(`/api/v1/tickets/${tickets[0]!.number}`, null), 401, 'unauthorized');
  });
});

describe('GET /api/v1/tickets?q=', () => {
  const search = (query: Record<string, string>, session: SyncSession | null = agent) =>
    get<{ tickets: Ticket[] }>(`/api/v1/tickets?${new URLSearchParams(query)}`, session);

  it('finds tickets holding every word in subject or description, newest first', async () => {
    const target = tickets.find((x) => x.updatedAt < since)!;
    const words = target.subject
      .split(/\s+/)
      .filter((w) => w.length >= 4)
      .slice(0, 2);
    const response = await search({ q: words.join(' ').toUpperCase(), limit: '50' });
    expect(response.status).toBe(200);
    const found = response.body.tickets;
    expect(found.length).toBeGreaterThan(0);
    for (const ticket of found) {
      const text = `${ticket.subject}\n${ticket.description}`.toLowerCase();
      for (const word of words) expect(text).toContain(word.toLowerCase());
    }
    const times = found.map((x) => x.updatedAt);
    expect(times).toEqual([...times].sort().reverse());
    const expected = tickets.filter((x) =>
      words.every((w) => `${x.subject}\n${x.description}`.toLowerCase().includes(w.toLowerCase())),
    );
    expect(found.length).toBe(Math.min(50, expected.length));
  });

  it('keeps to tickets updated before updatedBefore, and to the limit', async () => {
    const response = await search({ q: 'the', updatedBefore: since, limit: '7' });
    expect(response.status).toBe(200);
    expect(response.body.tickets).toHaveLength(7);
    for (const ticket of response.body.tickets) expect(ticket.updatedAt < since).toBe(true);
  });

  it("never shows another tenant's tickets", async () => {
    const theirs = upserts(
      (await globex.pullAll('0', 5000)).flatMap((p) => p.changes),
      'ticket',
    ).map((c) => dataOf<Ticket>(c));
    const mine = new Set(tickets.map((x) => x.id));
    const words = theirs[0]!.subject
      .split(/\s+/)
      .filter((w) => w.length >= 3)
      .slice(0, 1);
    for (const ticket of (await search({ q: words.join(' '), limit: '50' })).body.tickets)
      expect(mine.has(ticket.id)).toBe(true);
    for (const ticket of (await search({ q: words.join(' ') }, globex)).body.tickets)
      expect(mine.has(ticket.id)).toBe(false);
  });

  it('answers 400 for bad input and 401 without a token', async () => {
    for (const query of [
      {},
      { q: '' },
      { q: 'a' },
      { q: 'x'.repeat(201) },
      { q: 'printer', limit: '0' },
      { q: 'printer', limit: '51' },
      { q: 'printer', updatedBefore: 'soon' },
      { q: 'printer', status: 'open' },
    ]) {
      expectApiError(await search(query as Record<string, string>), 400, 'bad_request');
    }
    expectApiError(await search({ q: 'printer' }, null), 401, 'unauthorized');
  });
});
