import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HelpdeskService } from '../../../../src-main/core/services/helpdesk-service';
import { NewWorkWatcher } from '../../../../src-main/core/services/new-work-notices';
import type { NewWorkNotice } from '../../../../src-shared/bridge/new-work';
import type { SessionInfo } from '../../../../src-shared/bridge/contract';
import type { TicketSummary } from '../../../../src-shared/bridge/ticket-query';
import type { SyncSession } from '../../../support/api-client';
import { customerWrites as writeAsCustomer } from '../../../support/customer-writes';
import {
  startHelpdeskHarness,
  synced,
  type HelpdeskHarness,
} from '../../../support/helpdesk-harness';
import { serverState, TEST_ENGINE, waitFor } from '../../../support/sync-harness';

/**
 * Offline triage through the bridge, against the real service taken out of reach by a fault
 * proxy: replies held when their ticket changed while they waited (and sent exactly once, edited
 * or discarded), drafts across restarts, saved views with live counts, bulk changes, a ticket
 * created offline for a contact created offline, and the notice of a customer's reply.
 */

let h: HelpdeskHarness;
let a: HelpdeskService;
let me: SessionInfo;
let dataDir: string;
let b: SyncSession;
let admin: SyncSession;
let agent2Id: string;

beforeAll(async () => {
  h = await startHelpdeskHarness('offline-triage');
  ({ service: a, session: me, dataDir } = await h.signedIn('agent1@acme.test'));
  b = await h.t.api.session('acme', 'agent2@acme.test');
  admin = await h.t.api.session('acme', 'admin@acme.test');
  agent2Id = b.tokens.user.id;
}, 60_000);
afterAll(async () => {
  // The service opened again by the drafts test is not the harness's own.
  await a?.close();
  await h?.close();
});

const server = () => serverState(h.t.api, 'acme', 'admin@acme.test');

/** Tickets of the list not yet used by a test (each test takes its own). */
const used = new Set<string>();
async function freshTickets(
  count: number,
  ok: (t: TicketSummary) => boolean = () => true,
): Promise<TicketSummary[]> {
  const { tickets } = await a.invoke('listTickets', { status: ['open'], limit: 500 });
  const picked = tickets.filter((t) => !used.has(t.id) && ok(t)).slice(0, count);
  expect(picked).toHaveLength(count);
  for (const t of picked) used.add(t.id);
  return picked;
}

/** A message from the requester, as the service's inbound path writes it. */
async function customerWrites(ticketId: string, body: string): Promise<string> {
  const ticket = (await server()).tickets.get(ticketId)!;
  return writeAsCustomer(h.t.server.storage, me.tenant.id, ticket, body);
}

async function bSets(ticketId: string, fields: Record<string, unknown>): Promise<void> {
  const response = await b.send({ name: 'setTicketFields', args: { ticketId, fields } });
  expect(response.body.results[0]).toMatchObject({ status: 'applied' });
}

const replyArgs = (ticketId: string, body: string) => ({
  id: randomUUID(),
  ticketId,
  body,
  public: true,
});

describe('held replies', () => {
  it('hold a reply whose ticket changed meanwhile; the rest goes; send, edit, discard', async () => {
    const [customerTicket, statusTicket, assigneeTicket, other] = await freshTickets(
      4,
      (t) => t.assigneeId !== agent2Id,
    );
    const replies = {
      customer: replyArgs(customerTicket!.id, 'Please restart the printer.'),
      status: replyArgs(statusTicket!.id, 'I will look at it today.'),
      assignee: replyArgs(assigneeTicket!.id, 'Taking this one.'),
    };

    await h.offline(async () => {
      for (const args of Object.values(replies))
        await a.invoke('mutate', { name: 'addComment', args });
      // "Reply and solve": the status change waits with its reply.
      await a.invoke('mutate', {
        name: 'setTicketFields',
        args: { ticketId: customerTicket!.id, fields: { status: 'solved' } },
      });
      await a.invoke('mutate', {
        name: 'addTags',
        args: { ticketId: other!.id, tags: ['triaged-offline'] },
      });
      expect((await a.invoke('getSyncStatus', {})).pending).toBe(5);
      // Meanwhile, on the service.
      await customerWrites(customerTicket!.id, 'It works again!\nNo need to come.');
      await bSets(statusTicket!.id, { status: 'pending' });
      await bSets(assigneeTicket!.id, { assigneeId: agent2Id });
    });
    await synced(a);

    const held = await a.invoke('listHeldReplies', {});
    expect(held.map((r) => [r.commentId, r.changes])).toEqual([
      [
        replies.customer.id,
        {
          newComments: 1,
          firstLine: 'It works again!',
          fromCustomer: true,
          status: null,
          assignee: null,
        },
      ],
      [
        replies.status.id,
        expect.objectContaining({ newComments: 0, status: { from: 'open', to: 'pending' } }),
      ],
      [
        replies.assignee.id,
        expect.objectContaining({
          assignee: { from: assigneeTicket!.assigneeId, to: agent2Id },
        }),
      ],
    ]);
    expect(held[0]!.heldWith).toEqual([
      {
        name: 'setTicketFields',
        args: { ticketId: customerTicket!.id, fields: { status: 'solved' } },
      },
    ]);
    expect(await a.invoke('getSyncStatus', {})).toMatchObject({ pending: 0, held: 3 });
    const detail = (await a.invoke('getTicket', { id: customerTicket!.id }))!;
    expect(detail.heldReplies.map((r) => r.id)).toEqual([held[0]!.id]);
    expect(detail.comments.map((c) => c.id)).not.toContain(replies.customer.id);
    expect(detail.ticket.status).toBe('open');

    // None of the held replies is on the service; the other change is.
    let state = await server();
    for (const args of Object.values(replies)) expect(state.comments.has(args.id)).toBe(false);
    expect(state.tickets.get(other!.id)!.tags).toContain('triaged-offline');
    expect(state.tickets.get(customerTicket!.id)!.status).toBe('open');

    // Send anyway: on the service once, with the change held with it.
    expect(
      (await a.invoke('resolveHeldReply', { id: held[0]!.id, action: 'send' })).mutationIds,
    ).toHaveLength(2);
    await expect(
      a.invoke('resolveHeldReply', { id: held[0]!.id, action: 'send' }),
    ).rejects.toMatchObject({ code: 'not_found' });
    // Edit: the new body only.
    await a.invoke('resolveHeldReply', {
      id: held[2]!.id,
      action: 'edit',
      body: 'Agent 2 has it now; I am here if needed.',
    });
    // Discard: never on the service, gone here.
    await a.invoke('resolveHeldReply', { id: held[1]!.id, action: 'discard' });
    await synced(a);

    state = await server();
    const withBody = (body: string) =>
      [...state.comments.values()].filter((c) => c.body === body).map((c) => c.id);
    expect(withBody(replies.customer.body)).toEqual([replies.customer.id]);
    expect(state.tickets.get(customerTicket!.id)!.status).toBe('solved');
    expect(withBody('Agent 2 has it now; I am here if needed.')).toEqual([replies.assignee.id]);
    expect(withBody(replies.assignee.body)).toEqual([]);
    expect(state.comments.has(replies.status.id)).toBe(false);
    expect(await a.invoke('listHeldReplies', {})).toEqual([]);
    expect(await a.invoke('listNeedsAttention', {})).toEqual([]);
    expect(await a.invoke('getSyncStatus', {})).toMatchObject({
      pending: 0,
      needsAttention: 0,
      held: 0,
    });
    const discarded = (await a.invoke('getTicket', { id: statusTicket!.id }))!;
    expect(discarded.comments.map((c) => c.id)).not.toContain(replies.status.id);
    expect(discarded.heldReplies).toEqual([]);
  });

  it('a reply sent before anything changed is not held', async () => {
    const [ticket] = await freshTickets(1);
    const args = replyArgs(ticket!.id, 'Quick answer.');
    await a.invoke('mutate', { name: 'addComment', args });
    await synced(a);
    await customerWrites(ticket!.id, 'Thanks!');
    await synced(a);
    expect(await a.invoke('listHeldReplies', {})).toEqual([]);
    expect((await server()).comments.get(args.id)).toMatchObject({ body: 'Quick answer.' });
  });

  it('sign-out counts held replies as work that would be lost', async () => {
    const [ticket] = await freshTickets(1);
    await h.offline(async () => {
      await a.invoke('mutate', { name: 'addComment', args: replyArgs(ticket!.id, 'Hello?') });
      await customerWrites(ticket!.id, 'Anyone there?');
    });
    await synced(a);
    const [held] = await a.invoke('listHeldReplies', {});
    expect(await a.invoke('signOut', {})).toEqual({ status: 'pending-changes', pending: 1 });
    await a.invoke('resolveHeldReply', { id: held!.id, action: 'discard' });
    await synced(a);
  });
});

describe('drafts', () => {
  it('outlive closing the service, and an empty body deletes them', async () => {
    const [ticket] = await freshTickets(1);
    expect(await a.invoke('getDraft', { ticketId: ticket!.id })).toBeNull();
    await a.invoke('saveDraft', { ticketId: ticket!.id, body: 'Dear customer,\n', public: false });
    await a.close();
    a = new HelpdeskService({ dataDir, credentials: h.store, engine: TEST_ENGINE });
    await a.restore();
    expect(await a.invoke('getDraft', { ticketId: ticket!.id })).toEqual({
      body: 'Dear customer,\n',
      public: false,
      updatedAt: expect.any(String),
    });
    // Never sent: nothing is pending.
    expect((await a.invoke('getSyncStatus', {})).pending).toBe(0);
    await a.invoke('saveDraft', { ticketId: ticket!.id, body: '  \n', public: true });
    expect(await a.invoke('getDraft', { ticketId: ticket!.id })).toBeNull();
    await expect(
      a.invoke('saveDraft', {
        ticketId: ticket!.id,
        body: 'x'.repeat(64 * 1024 + 1),
        public: true,
      }),
    ).rejects.toMatchObject({ code: 'bad_request' });
  });
});

describe('saved views', () => {
  it('count from the replica, follow local changes and pulls, and keep their limits', async () => {
    const mineOpen = await a.invoke('saveView', {
      name: 'My open',
      query: { filters: { status: ['open'], mine: true } },
    });
    const typed = await a.invoke('saveView', {
      name: 'My open, typed',
      query: { search: 'status:open assignee:me' },
    });
    const { total } = await a.invoke('listTickets', { status: ['open'], mine: true, limit: 1 });
    expect(total).toBeGreaterThan(1);
    expect([mineOpen.count, typed.count]).toEqual([total, total]);

    const counts = async () =>
      Object.fromEntries((await a.invoke('listSavedViews', {})).map((v) => [v.name, v.count]));
    // A local change: one of my open tickets goes pending.
    const { tickets } = await a.invoke('listTickets', { status: ['open'], mine: true, limit: 1 });
    await a.invoke('mutate', {
      name: 'setTicketFields',
      args: { ticketId: tickets[0]!.id, fields: { status: 'pending' } },
    });
    expect(await counts()).toMatchObject({ 'My open': total - 1, 'My open, typed': total - 1 });
    // A pull: another agent gives me an open ticket.
    const [given] = await freshTickets(1, (t) => t.assigneeId !== me.user.id);
    await bSets(given!.id, { assigneeId: me.user.id });
    await synced(a);
    expect(await counts()).toMatchObject({ 'My open': total, 'My open, typed': total });

    await expect(
      a.invoke('saveView', { name: 'MY OPEN', query: { search: 'tag:vip' } }),
    ).rejects.toMatchObject({ code: 'already_exists' });
    await expect(
      a.invoke('saveView', { name: 'Bad', query: { search: 'status:sideways' } }),
    ).rejects.toMatchObject({ code: 'bad_request' });
    await expect(
      a.invoke('saveView', { name: 'x'.repeat(61), query: { search: 'printer' } }),
    ).rejects.toMatchObject({ code: 'bad_request' });
    const renamed = await a.invoke('saveView', {
      id: typed.id,
      name: 'Mine, open',
      query: typed.query,
    });
    expect(renamed).toMatchObject({ id: typed.id, name: 'Mine, open', count: total });

    for (let i = 2; i < 50; i++)
      await a.invoke('saveView', { name: `View ${i}`, query: { filters: { tag: ['vip'] } } });
    await expect(
      a.invoke('saveView', { name: 'One too many', query: { filters: {} } }),
    ).rejects.toMatchObject({ code: 'bad_request', message: expect.stringContaining('50') });
    const views = await a.invoke('listSavedViews', {});
    expect(views).toHaveLength(50);
    for (const view of views.slice(2)) await a.invoke('deleteView', { id: view.id });
    await a.invoke('deleteView', { id: mineOpen.id });
    expect((await a.invoke('listSavedViews', {})).map((v) => v.name)).toEqual(['Mine, open']);
    await expect(a.invoke('deleteView', { id: mineOpen.id })).rejects.toMatchObject({
      code: 'not_found',
    });
  });
});

describe('bulk changes', () => {
  it('queue each item on its own and report per item; the service’s refusals name the ticket', async () => {
    const [one, two, gone] = await freshTickets(3);
    const before = (await a.invoke('getSyncStatus', {})).pending;
    const doomed = await h.offline(async () => {
      const result = await a.invoke('mutateMany', {
        items: [
          { name: 'setTicketFields', args: { ticketId: one!.id, fields: { priority: 'urgent' } } },
          {
            name: 'setTicketFields',
            args: { ticketId: randomUUID(), fields: { priority: 'urgent' } },
          },
          {
            name: 'setTicketFields',
            args: { ticketId: two!.id, fields: { priority: 'sky-high' } },
          },
          { name: 'deleteTicket', args: { ticketId: two!.id } },
          { name: 'setTicketFields', args: { ticketId: two!.id, fields: { priority: 'urgent' } } },
          { name: 'addTags', args: { ticketId: gone!.id, tags: ['bulk'] } },
        ],
      });
      expect(result.results).toEqual([
        { ok: true, mutationId: expect.any(Number) },
        { ok: false, code: 'not_found', message: expect.any(String) },
        { ok: false, code: 'bad_request', message: expect.any(String) },
        { ok: false, code: 'forbidden', message: expect.any(String) },
        { ok: true, mutationId: expect.any(Number) },
        { ok: true, mutationId: expect.any(Number) },
      ]);
      expect((await a.invoke('getSyncStatus', {})).pending).toBe(before + 3);
      // Meanwhile an admin deletes one of the tickets.
      const deleted = await admin.send({ name: 'deleteTicket', args: { ticketId: gone!.id } });
      expect(deleted.body.results[0]).toMatchObject({ status: 'applied' });
      return result.results[5]!;
    });
    await synced(a);
    const state = await server();
    expect(state.tickets.get(one!.id)!.priority).toBe('urgent');
    expect(state.tickets.get(two!.id)!.priority).toBe('urgent');
    const attention = await a.invoke('listNeedsAttention', {});
    expect(attention).toEqual([
      expect.objectContaining({
        mutationId: (doomed as { mutationId: number }).mutationId,
        kind: 'rejected',
        entity: 'ticket',
        entityId: gone!.id,
        error: expect.objectContaining({ code: 'not_found' }),
      }),
    ]);
    await a.invoke('resolveNeedsAttention', { id: attention[0]!.id, choice: 'theirs' });
  });

  it('refuses more than 500 items, or none, as a whole', async () => {
    const item = { name: 'noop', args: {} };
    for (const items of [[], Array.from({ length: 501 }, () => item)]) {
      await expect(a.invoke('mutateMany', { items })).rejects.toMatchObject({
        code: 'bad_request',
      });
    }
  });
});

describe('a new ticket offline', () => {
  it('shows "number pending" until the service numbers it; its new contact goes first', async () => {
    const contactId = randomUUID();
    const ticketId = randomUUID();
    await h.offline(async () => {
      await a.invoke('mutate', {
        name: 'createContact',
        args: { id: contactId, name: 'Offline Olga', email: 'olga@example.test' },
      });
      await a.invoke('mutate', {
        name: 'createTicket',
        args: {
          id: ticketId,
          subject: 'Created on the train',
          description: 'No network here.',
          requesterId: contactId,
        },
      });
      const { tickets } = await a.invoke('searchTickets', { text: 'train' });
      expect(tickets.find((t) => t.id === ticketId)).toMatchObject({
        number: null,
        requesterName: 'Offline Olga',
        pending: true,
      });
      expect((await a.invoke('getTicket', { id: ticketId }))!.ticket.number).toBeNull();
    });
    await synced(a);
    const detail = (await a.invoke('getTicket', { id: ticketId }))!;
    expect(detail.ticket.number).toEqual(expect.any(Number));
    expect(detail.ticket.pending).toBe(false);
    expect(detail.requester).toMatchObject({ id: contactId, name: 'Offline Olga' });
    const state = await server();
    expect(state.tickets.get(ticketId)).toMatchObject({
      number: detail.ticket.number,
      requesterId: contactId,
    });
    expect(state.contacts.get(contactId)).toMatchObject({ name: 'Offline Olga' });
    expect(await a.invoke('listNeedsAttention', {})).toEqual([]);
  });
});

describe('bad input', () => {
  it('is refused with bad_request by every new call, and changes nothing', async () => {
    const invoke = a.invoke.bind(a) as (call: string, input: unknown) => Promise<unknown>;
    const ticketId = randomUUID();
    const bad: Array<[string, unknown]> = [
      ['resolveHeldReply', { id: 1, action: 'edit' }],
      ['resolveHeldReply', { id: 1, action: 'send', body: 'x' }],
      ['resolveHeldReply', { id: 1, action: 'resend' }],
      ['resolveHeldReply', { id: '1', action: 'discard' }],
      ['resolveHeldReply', { id: 1, action: 'edit', body: '   ' }],
      ['getDraft', { ticketId: 'nope' }],
      ['saveDraft', { ticketId, body: 'x' }],
      ['saveDraft', { ticketId, body: 'x', public: true, extra: 1 }],
      ['saveView', { name: '', query: { search: 'x' } }],
      ['saveView', { name: 'A', query: { search: 'x', filters: {} } }],
      ['saveView', { name: 'A', query: { filters: { limit: 5 } } }],
      ['saveView', { name: 'A', query: { filters: { status: ['sideways'] } } }],
      ['saveView', { name: 'A', query: { sql: 'DROP TABLE tickets' } }],
      ['deleteView', { id: 7 }],
      ['mutateMany', { items: [{ name: 'noop' }] }],
      ['mutateMany', { items: 'all' }],
      ['listTickets', { sort: { field: 'lastCustomerReply' } }],
    ];
    const before = await a.invoke('getSyncStatus', {});
    for (const [call, input] of bad) {
      await expect(invoke(call, input), `${call} ${JSON.stringify(input)}`).rejects.toMatchObject({
        code: 'bad_request',
      });
    }
    expect(await a.invoke('getSyncStatus', {})).toMatchObject({
      pending: before.pending,
      held: before.held,
    });
    expect(await a.invoke('listSavedViews', {})).toEqual(
      expect.not.arrayContaining([expect.objectContaining({ name: 'A' })]),
    );
  });
});

describe('notices', () => {
  it("announce the requester's reply on a ticket of mine, brought by a pull", async () => {
    const [mine] = await freshTickets(1, (t) => t.assigneeId !== me.user.id);
    await bSets(mine!.id, { assigneeId: me.user.id });
    await synced(a);
    const notices: NewWorkNotice[] = [];
    const watcher = new NewWorkWatcher(a, (batch) => notices.push(...batch));
    await watcher.check();
    expect(notices).toEqual([]);

    await customerWrites(mine!.id, 'Any update?');
    await synced(a);
    await watcher.check();
    await waitFor('the notice', () => notices.length > 0);
    expect(notices).toEqual([
      { kind: 'customer-reply', ticketId: mine!.id, number: mine!.number, subject: mine!.subject },
    ]);
  });

  it('the service itself watches: a ticket another agent gives me comes as a newWork event', async () => {
    const heard: NewWorkNotice[] = [];
    const stop = a.on('newWork', ({ notices }) => heard.push(...notices));
    const [given] = await freshTickets(1, (t) => t.assigneeId !== me.user.id);
    await bSets(given!.id, { assigneeId: me.user.id });
    await synced(a);
    await waitFor('the notice', () => heard.some((notice) => notice.ticketId === given!.id));
    stop();
    expect(heard).toContainEqual({
      kind: 'assigned',
      ticketId: given!.id,
      number: given!.number,
      subject: given!.subject,
    });
  });
});
