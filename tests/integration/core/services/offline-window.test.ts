import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { windowStart } from '../../../../src-shared/bridge/offline-window';
import type { Ticket } from '../../../../src-shared/domain/entities';
import type { HelpdeskService } from '../../../../src-main/core/services/helpdesk-service';
import { NOT_KEPT_OFFLINE } from '../../../../src-main/core/services/offline-window-calls';
import {
  startHelpdeskHarness,
  synced,
  type HelpdeskHarness,
} from '../../../support/helpdesk-harness';
import { answeredStatuses, serverState, type TenantState } from '../../../support/sync-harness';

/**
 * "Keep offline: tickets updated in the last N months" on real files against the real service:
 * older tickets leave the replica (their comments, full text and cached attachments with them)
 * unless the agent's work on them is not finished; the agent opens one on demand, by number or
 * from a search on the service, and edits it; one updated on the service comes back whole; a
 * wider window downloads what is missing; a snapshot asks only for the window's tickets. Offline,
 * a ticket not kept here is a clear `offline_unavailable`.
 */

const EMAIL = 'agent4@acme.test';
let h: HelpdeskHarness;
let service: HelpdeskService;
let server: TenantState;
let cutoff: string;
/** Tickets last updated before the window, oldest last. */
let old: Ticket[];
let recent: Ticket[];
/** A token of another agent, to change tickets behind this app's back. */
let colleague: string;

const commentsOf = (state: TenantState, ticketId: string) =>
  [...state.comments.values()]
    .filter((c) => c.ticketId === ticketId)
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));

/** Old tickets with comments, not yet used by an earlier test. */
const spare = (() => {
  let next = 0;
  return () => old.filter((t) => commentsOf(server, t.id).length > 0)[next++]!;
})();

async function total(): Promise<number> {
  return (await service.invoke('listTickets', { limit: 1 })).total;
}

async function refused(run: () => Promise<unknown>) {
  await expect(run()).rejects.toMatchObject({
    code: 'offline_unavailable',
    message: NOT_KEPT_OFFLINE,
  });
}

beforeAll(async () => {
  h = await startHelpdeskHarness('offline-window');
  ({ service } = await h.signedIn(EMAIL));
  server = await serverState(h.t.api, 'acme', EMAIL);
  cutoff = windowStart(new Date(), 1);
  const tickets = [...server.tickets.values()].sort((a, b) =>
    b.updatedAt.localeCompare(a.updatedAt),
  );
  old = tickets.filter((t) => t.updatedAt < cutoff);
  recent = tickets.filter((t) => t.updatedAt >= cutoff);
  colleague = (await h.t.api.login('acme', 'agent1@acme.test')).accessToken;
});
afterAll(() => h?.close());

describe('keep offline: tickets updated in the last month', () => {
  it('lets older tickets go, except those with a draft or a change not sent yet', async () => {
    expect(old.length).toBeGreaterThan(10);
    expect(recent.length).toBeGreaterThan(10);
    expect(await total()).toBe(server.tickets.size);
    const [drafted, changed, attached] = [spare(), spare(), spare()];
    // An attachment of an old ticket, kept on this computer.
    const upload = await h.t.api.call(
      'POST',
      `/api/v1/tickets/${attached.id}/attachments?name=old.png`,
      {
        token: colleague,
        rawBody: Buffer.alloc(3000, 1),
        headers: { 'content-type': 'image/png' },
      },
    );
    expect(upload.status).toBe(201);
    await synced(service);
    await service.invoke('openAttachment', { id: upload.body.attachment.id });
    const usage = await service.invoke('getLocalDataUsage', {});
    expect(usage.attachmentBytes).toBe(3000);

    await h.offline(async () => {
      await service.invoke('saveDraft', {
        ticketId: drafted.id,
        body: 'Half a reply',
        public: true,
      });
      await service.invoke('mutate', {
        name: 'addTags',
        args: { ticketId: changed.id, tags: ['kept-while-pending'] },
      });
      // Letting go needs no service.
      const change = await service.invoke('setOfflineWindow', { months: 1 });
      expect(change).toEqual({
        months: 1,
        keptSince: expect.any(String),
        removed: old.length - 2,
        downloading: false,
      });
      expect(change.keptSince! >= cutoff).toBe(true);
      expect(await service.invoke('getOfflineWindow', {})).toEqual({
        months: 1,
        keptSince: change.keptSince,
      });
      expect(await total()).toBe(recent.length + 2);
      expect(await service.invoke('getTicket', { id: attached.id })).toBeNull();
      const kept = await service.invoke('getTicket', { id: drafted.id });
      expect(kept).toMatchObject({ keptOffline: false });
      expect(kept!.comments).toEqual(commentsOf(server, drafted.id));
      expect((await service.invoke('getTicket', { id: changed.id }))!.ticket.tags).toContain(
        'kept-while-pending',
      );
      const fresh = await service.invoke('getTicket', { id: recent[0]!.id });
      expect(fresh).toMatchObject({ keptOffline: true });
      // The file is compacted; the cached attachment went with its ticket; its words are no
      // longer found here.
      const after = await service.invoke('getLocalDataUsage', {});
      expect(after.replicaBytes).toBeLessThan(usage.replicaBytes * 0.8);
      expect(after.attachmentBytes).toBe(0);
      const word = attached.subject.split(' ').find((w) => /^[a-z]{5,}$/i.test(w))!;
      const found = await service.invoke('searchTickets', { text: `"${attached.subject}"` });
      expect(found.tickets.map((t) => t.id)).not.toContain(attached.id);
      expect(word).toBeTruthy();
      // Offline, a ticket not kept here is a clear answer, by number or by search.
      await refused(() => service.invoke('fetchTicket', { ref: attached.number! }));
      await refused(() => service.invoke('searchOlderTickets', { text: word }));
    });

    // Once sent, the change makes its ticket recent: it stays.
    await synced(service);
    expect(await service.invoke('getTicket', { id: changed.id })).toMatchObject({
      keptOffline: true,
    });
    expect(await total()).toBe(recent.length + 2);
  });

  it('opens an older ticket on demand, by number or from a search, and edits it', async () => {
    const wanted = spare();
    const word = wanted.subject.split(' ').filter((w) => w.length >= 4);
    const { tickets } = await service.invoke('searchOlderTickets', {
      text: `status:open ${word.join(' ')}`,
    });
    expect(tickets.map((t) => t.id)).toContain(wanted.id);
    for (const ticket of tickets) expect(ticket.updatedAt < cutoff).toBe(true);

    expect(await service.invoke('fetchTicket', { ref: wanted.number! })).toEqual({
      id: wanted.id,
    });
    const detail = await service.invoke('getTicket', { id: wanted.id });
    expect(detail).toMatchObject({ keptOffline: false, ticket: { ...wanted, pending: false } });
    expect(detail!.comments).toEqual(commentsOf(server, wanted.id));
    // By id it is here already; a number the service does not have is null.
    expect(await service.invoke('fetchTicket', { ref: wanted.id })).toEqual({ id: wanted.id });
    const highest = Math.max(...[...server.tickets.values()].map((t) => t.number!));
    expect(await service.invoke('fetchTicket', { ref: highest + 100 })).toBeNull();
    expect(await service.invoke('fetchTicket', { ref: randomUUID() })).toBeNull();

    // A sync keeps it (opened lately); editing it makes it recent.
    await synced(service);
    expect(await service.invoke('getTicket', { id: wanted.id })).not.toBeNull();
    await service.invoke('mutate', {
      name: 'setTicketFields',
      args: {
        ticketId: wanted.id,
        fields: { priority: wanted.priority === 'high' ? 'low' : 'high' },
      },
    });
    await synced(service);
    const after = await serverState(h.t.api, 'acme', EMAIL);
    expect(after.tickets.get(wanted.id)!.priority).not.toBe(wanted.priority);
    expect(await service.invoke('getTicket', { id: wanted.id })).toMatchObject({
      keptOffline: true,
    });
  });

  it('brings back whole an older ticket updated on the service', async () => {
    const revived = spare();
    expect(await service.invoke('getTicket', { id: revived.id })).toBeNull();
    const note = {
      id: randomUUID(),
      ticketId: revived.id,
      body: 'Customer wrote again.',
      public: true,
    };
    const colleagueSession = await h.t.api.session('acme', 'agent1@acme.test');
    const sent = await colleagueSession.send({ name: 'addComment', args: note });
    expect(sent.body.results.map((r) => r.status)).toEqual(['applied']);

    await synced(service);
    const now = await serverState(h.t.api, 'acme', EMAIL);
    const detail = await service.invoke('getTicket', { id: revived.id });
    expect(detail).toMatchObject({ keptOffline: true });
    // Its earlier comments went by while it was away: they were fetched with it.
    expect(detail!.comments).toEqual(commentsOf(now, revived.id));
    expect(detail!.comments.length).toBe(commentsOf(server, revived.id).length + 1);
  });

  it('downloads again only the window after a reset, and everything for a wider one', async () => {
    h.t.logs.length = 0;
    await service.invoke('resetLocalData', {});
    await synced(service);
    const snapshotPulls = h.t.logs.filter((line) => line.includes('/api/v1/sync/pull?cursor=0'));
    expect(snapshotPulls.length).toBeGreaterThan(0);
    for (const line of snapshotPulls) expect(line).toContain('updatedSince=');
    expect(answeredStatuses(h.t.logs, '/api/v1/sync/pull').every((s) => s === 200)).toBe(true);
    const now = await serverState(h.t.api, 'acme', EMAIL);
    const inWindow = [...now.tickets.values()].filter(
      (t) => t.updatedAt >= windowStart(new Date(), 1),
    );
    // The drafted ticket stays (its draft does); every other one is in the window.
    expect(await total()).toBe(inWindow.length + 1);

    const change = await service.invoke('setOfflineWindow', { months: null });
    expect(change).toMatchObject({ months: null, removed: 0, downloading: true });
    await synced(service);
    expect(await total()).toBe(now.tickets.size);
    expect(await service.invoke('getOfflineWindow', {})).toEqual({ months: null, keptSince: null });
    const oldest = [...now.tickets.values()].sort((a, b) =>
      a.updatedAt.localeCompare(b.updatedAt),
    )[0]!;
    const detail = await service.invoke('getTicket', { id: oldest.id });
    expect(detail).toMatchObject({ keptOffline: true });
    expect(detail!.comments).toEqual(commentsOf(now, oldest.id));
  });

  it('refuses a window that is not one of the choices', async () => {
    for (const months of [0, 2, 36, -1, '3', 1.5]) {
      await expect(service.invoke('setOfflineWindow', { months })).rejects.toMatchObject({
        code: 'bad_request',
      });
    }
    await expect(service.invoke('fetchTicket', { ref: 'abc' })).rejects.toMatchObject({
      code: 'bad_request',
    });
  });
});
