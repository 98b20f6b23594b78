import { afterEach, describe, expect, it } from 'vitest';
import { windowStart } from '../../../../src-shared/bridge/offline-window';
import type { Attachment } from '../../../../src-shared/domain/entities';
import { saveDraft } from '../../../../src-main/core/replica/drafts';
import { FETCHED_KEEP_MS } from '../../../../src-main/core/replica/offline-window';
import { searchTickets } from '../../../../src-main/core/replica/ticket-queries';
import { evictOutsideWindow, threadRows } from '../../../../src-main/core/sync/window-upkeep';
import {
  comment,
  IDS,
  newId,
  NOW,
  removeTempDirs,
  seededReplica,
  ticket,
  type TestReplica,
} from './replica-fixtures';

/**
 * The offline window on a real replica file, with pull pages built as the service builds them:
 * which tickets leave (and what goes with them), which stay, which pulled tickets are fetched
 * whole afterwards, and what a windowed snapshot keeps. See tests/integration/core/services/
 * offline-window.test.ts for the same against the real service.
 */

afterEach(removeTempDirs);

const now = new Date(NOW);
/** A month before NOW: the window's start. */
const cutoff = windowStart(now, 1);
const RECENT = '2026-01-20T00:00:00.000Z';
const OLD = '2025-12-01T00:00:00.000Z';

function attachment(ticketId: string, sha: string): Attachment {
  return {
    id: newId(),
    ticketId,
    commentId: null,
    name: 'log.txt',
    size: 3,
    contentType: 'text/plain',
    sha256: sha.repeat(64),
    createdBy: IDS.agent,
    createdAt: OLD,
  };
}

/** The small tenant plus tickets of the given ages, each with a comment with a word of its own. */
function withTickets(ages: Record<string, string>): TestReplica & { ids: Record<string, string> } {
  const t = seededReplica();
  const ids: Record<string, string> = {};
  const changes = Object.entries(ages).flatMap(([name, updatedAt], i) => {
    const id = newId();
    ids[name] = id;
    return [
      t.pages.upsert('ticket', ticket({ id, number: 100 + i, createdAt: OLD, updatedAt })),
      t.pages.upsert('comment', comment({ id: newId(), ticketId: id, body: `word${name}` })),
    ];
  });
  t.replica.applyPullPage(t.pages.page(changes));
  return { ...t, ids };
}

const ticketIds = (t: TestReplica) =>
  (t.replica.db.prepare('SELECT id FROM tickets ORDER BY id').pluck().all() as string[]).sort();
/** How many tickets the replica's search finds for `word`. */
function found(t: TestReplica, word: string): number {
  const result = searchTickets(t.replica.db, word, IDS.agent);
  if (!result.ok) throw new Error(result.message);
  return result.page.total;
}

describe('letting tickets go', () => {
  it('removes older tickets with their comments, attachments and full text, and keeps those in use', () => {
    const t = withTickets({ plain: OLD, drafted: OLD, changed: OLD, rejected: OLD, fresh: RECENT });
    const { replica } = t;
    const shared = attachment(t.ids.plain!, 'a');
    replica.applyPullPage(
      t.pages.page([
        t.pages.upsert('attachment', { ...shared }),
        t.pages.upsert('attachment', attachment(t.ids.plain!, 'b')),
        // The same content on a ticket that stays: its cached copy must stay too.
        t.pages.upsert('attachment', { ...attachment(t.ids.fresh!, 'a') }),
      ]),
    );
    saveDraft(replica.db, { ticketId: t.ids.drafted!, body: 'Half a reply', public: true }, NOW);
    replica.mutate('addTags', { ticketId: t.ids.changed!, tags: ['mine'] }, NOW);
    const { mutationId } = replica.mutate(
      'setTicketFields',
      { ticketId: t.ids.rejected!, fields: { status: 'solved' } },
      NOW,
    );
    replica.applyPushResults([{ id: mutationId - 1, status: 'applied' }], NOW);
    replica.applyPushResults(
      [{ id: mutationId, status: 'rejected', error: { code: 'forbidden', message: 'No.' } }],
      NOW,
    );
    replica.window.setMonths(1, now);
    expect(found(t, 'wordplain')).toBe(1);

    const outcome = evictOutsideWindow(replica, now);

    // The small tenant's two tickets are old too, and in use by nobody.
    expect(outcome).toEqual({ removed: 3, unreferenced: ['b'.repeat(64)] });
    expect(ticketIds(t)).toEqual(
      [t.ids.drafted!, t.ids.changed!, t.ids.rejected!, t.ids.fresh!].sort(),
    );
    expect(found(t, 'wordplain')).toBe(0);
    expect(found(t, 'wordfresh')).toBe(1);
    const left = replica.db
      .prepare("SELECT count(*) FROM base WHERE parent_id = ? OR (entity = 'ticket' AND id = ?)")
      .pluck();
    expect(left.get(t.ids.plain, t.ids.plain)).toBe(0);
    expect(left.get(IDS.ticket, IDS.ticket)).toBe(0);
    expect(left.get(t.ids.drafted, t.ids.drafted)).toBe(2);
    expect(replica.window.keptSince).toBe(cutoff);
    // Nothing more to let go; contacts and users stay whatever their age.
    expect(evictOutsideWindow(replica, now)).toEqual({ removed: 0, unreferenced: [] });
    expect(replica.all('contact')).toHaveLength(2);
  });

  it('keeps a ticket opened on demand for a day, then lets it go', () => {
    const t = withTickets({ fresh: RECENT });
    const id = newId();
    const old = ticket({ id, number: 900, createdAt: OLD, updatedAt: OLD });
    const note = comment({ id: newId(), ticketId: id, body: 'wordfetched' });
    t.replica.replaceTickets([id], threadRows({ ticket: old, comments: [note], attachments: [] }));
    t.replica.window.markFetched(id, now);
    t.replica.window.setMonths(1, now);
    expect(t.replica.projection.commentsOf(id)).toEqual([note]);
    expect(found(t, 'wordfetched')).toBe(1);
    expect(t.replica.window.isOutside(old.updatedAt, now)).toBe(true);

    evictOutsideWindow(t.replica, new Date(now.getTime() + FETCHED_KEEP_MS - 1000));
    expect(t.replica.ticket(id)).not.toBeNull();
    evictOutsideWindow(t.replica, new Date(now.getTime() + FETCHED_KEEP_MS + 1000));
    expect(t.replica.ticket(id)).toBeNull();
    expect(found(t, 'wordfetched')).toBe(0);
  });

  it('lets nothing go without a window', () => {
    const t = withTickets({ old: OLD });
    expect(evictOutsideWindow(t.replica, now)).toEqual({ removed: 0, unreferenced: [] });
    expect(ticketIds(t)).toHaveLength(3);
    expect(t.replica.window.state()).toEqual({ months: null, keptSince: null });
  });
});

describe('tickets fetched whole after a pull', () => {
  it('queues an older ticket that comes back, not one it holds or a new one', () => {
    const t = withTickets({ gone: OLD, held: RECENT });
    t.replica.window.setMonths(1, now);
    evictOutsideWindow(t.replica, now);
    const newer = ticket({ id: newId(), number: 500, createdAt: RECENT, updatedAt: NOW });
    t.replica.applyPullPage(
      t.pages.page([
        t.pages.upsert(
          'ticket',
          ticket({ id: t.ids.gone!, number: 100, createdAt: OLD, updatedAt: NOW }),
        ),
        t.pages.upsert(
          'ticket',
          ticket({ id: t.ids.held!, number: 101, createdAt: OLD, updatedAt: NOW }),
        ),
        t.pages.upsert('ticket', newer),
      ]),
      NOW,
    );
    expect(t.replica.window.queued(10)).toEqual([t.ids.gone]);
    // Fetched: its comments are back, and it is off the queue.
    const whole = ticket({ id: t.ids.gone!, number: 100, createdAt: OLD, updatedAt: NOW });
    const earlier = comment({ id: newId(), ticketId: t.ids.gone!, body: 'wordearlier' });
    t.replica.replaceTickets(
      [whole.id],
      threadRows({ ticket: whole, comments: [earlier], attachments: [] }),
    );
    t.replica.window.dequeue(whole.id);
    expect(t.replica.projection.commentsOf(whole.id)).toEqual([earlier]);
    expect(found(t, 'wordearlier')).toBe(1);
    expect(t.replica.window.queued(10)).toEqual([]);
  });

  it('keeps, through a windowed snapshot, an older ticket in use, and queues it and any changed meanwhile', () => {
    const t = withTickets({ changed: OLD, plain: OLD, fresh: RECENT });
    t.replica.mutate('addTags', { ticketId: t.ids.changed!, tags: ['mine'] }, NOW);
    t.replica.window.setMonths(1, now);
    t.replica.restartFromZero();
    expect(t.replica.window.sinceForPage('0', now)).toBe(cutoff);
    // A later page of the same snapshot keeps the window it started with.
    expect(t.replica.window.sinceForPage('c1.x', new Date('2030-01-01'))).toBe(cutoff);
    const raced = ticket({ id: newId(), number: 300, createdAt: OLD, updatedAt: NOW });
    t.replica.applyPullPage(
      t.pages.page([
        t.pages.upsert(
          'ticket',
          ticket({ id: t.ids.fresh!, number: 102, createdAt: OLD, updatedAt: RECENT }),
        ),
        // Updated while the snapshot ran: its comments may have gone by on an earlier page.
        t.pages.upsert('ticket', raced),
      ]),
      NOW,
    );
    expect(ticketIds(t)).toEqual([t.ids.changed!, t.ids.fresh!, raced.id].sort());
    expect(t.replica.ticket(t.ids.changed!)!.tags).toContain('mine');
    expect(t.replica.projection.commentsOf(t.ids.changed!)).toHaveLength(1);
    expect(t.replica.window.queued(10).sort()).toEqual([t.ids.changed!, raced.id].sort());
    expect(t.replica.window.state()).toEqual({ months: 1, keptSince: cutoff });
  });

  it('says when a new window is wider than what is here', () => {
    const t = withTickets({ old: OLD });
    expect(t.replica.window.setMonths(1, now)).toBe(false);
    evictOutsideWindow(t.replica, now);
    expect(t.replica.window.setMonths(1, now)).toBe(false);
    expect(t.replica.window.setMonths(3, now)).toBe(true);
    expect(t.replica.window.setMonths(null, now)).toBe(true);
    expect(t.replica.window.months).toBeNull();
  });
});
