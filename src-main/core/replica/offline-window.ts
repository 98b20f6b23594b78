import type { Database, Statement } from 'better-sqlite3';
import {
  windowStart,
  type KeepOfflineMonths,
  type OfflineWindow as OfflineWindowState,
} from '../../../src-shared/bridge/offline-window';
import { mayLackThread, ticketsToEvict, type HeldTicket } from './window-rules';

/** How long a ticket opened on demand stays after it was fetched (it goes at the next clean-up). */
export const FETCHED_KEEP_MS = 24 * 3_600_000;

const META = {
  months: 'keepOfflineMonths',
  keptSince: 'keptSince',
  snapshotSince: 'snapshotSince',
  snapshotStartedAt: 'snapshotStartedAt',
} as const;

/** Tickets the window never lets go: the agent's work on them is not finished on the service. */
const IN_USE = `
  SELECT id FROM overlay WHERE entity = 'ticket'
  UNION SELECT parent_id FROM overlay WHERE parent_id IS NOT NULL
  UNION SELECT coalesce(json_extract(args, '$.ticketId'),
                        CASE WHEN name = 'createTicket' THEN json_extract(args, '$.id') END)
    FROM outbox
  UNION SELECT ticket_id FROM held_replies
  UNION SELECT ticket_id FROM drafts
  UNION SELECT entity_id FROM needs_attention WHERE resolved_at IS NULL AND entity = 'ticket'
  UNION SELECT ticket_id FROM thread_fetches`;

/** Notes the tickets of one pull page that may lack comments or attachments (see Replica). */
export type WindowPageWatch = (
  ticket: { id: string; createdAt: string; updatedAt: string },
  held: boolean,
) => void;

/**
 * "Keep offline: tickets updated in the last N months", one account's setting and what its
 * replica holds. Tickets last updated before the window's start leave the replica (with their
 * comments, attachments and full-text rows) after each sync, unless the agent's work on them is
 * not finished; a snapshot asks the service only for tickets inside the window; the change log
 * goes on bringing every change, so an old ticket updated again comes back, and is fetched whole
 * when its earlier comments went by while it was away. Tickets the agent opens on demand are
 * fetched from the service and kept a day.
 *
 * `keptSince` is what the rest relies on: every ticket updated since then is here whole.
 * Runs inside the replica's transactions; `SyncEngine` and the service drive it.
 */
export class OfflineWindow {
  private readonly statements: Record<string, Statement>;

  constructor(private readonly db: Database) {
    this.statements = {
      meta: db.prepare('SELECT value FROM meta WHERE key = ?').pluck(),
      setMeta: db.prepare(
        'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      ),
      deleteMeta: db.prepare('DELETE FROM meta WHERE key = ?'),
      inUse: db.prepare(IN_USE).pluck(),
      fetchedSince: db
        .prepare('SELECT ticket_id FROM fetched_tickets WHERE fetched_at > ?')
        .pluck(),
      queue: db.prepare(
        'INSERT INTO thread_fetches (ticket_id, queued_at) VALUES (?, ?) ON CONFLICT DO NOTHING',
      ),
      queued: db.prepare('SELECT ticket_id FROM thread_fetches ORDER BY queued_at LIMIT ?').pluck(),
      dequeue: db.prepare('DELETE FROM thread_fetches WHERE ticket_id = ?'),
      fetched: db.prepare(
        `INSERT INTO fetched_tickets (ticket_id, fetched_at) VALUES (?, ?)
         ON CONFLICT (ticket_id) DO UPDATE SET fetched_at = excluded.fetched_at`,
      ),
      forgetFetched: db.prepare('DELETE FROM fetched_tickets WHERE fetched_at <= ?'),
      older: db.prepare('SELECT id, updated_at AS updatedAt FROM tickets WHERE updated_at < ?'),
      baseTicket: db.prepare("SELECT 1 FROM base WHERE entity = 'ticket' AND id = ?").pluck(),
    };
  }

  private meta(key: string): string | null {
    return (this.statements.meta!.get(key) as string | undefined) ?? null;
  }

  private putMeta(key: string, value: string | null): void {
    if (value === null) this.statements.deleteMeta!.run(key);
    else this.statements.setMeta!.run(key, value);
  }

  get months(): KeepOfflineMonths | null {
    const value = this.meta(META.months);
    return value === null ? null : (Number(value) as KeepOfflineMonths);
  }

  get keptSince(): string | null {
    return this.meta(META.keptSince);
  }

  state(): OfflineWindowState {
    return { months: this.months, keptSince: this.keptSince };
  }

  /** Where the window starts now; null when every ticket is kept. */
  cutoff(now: Date): string | null {
    const months = this.months;
    return months === null ? null : windowStart(now, months);
  }

  /** A ticket outside the window that is here anyway (opened on demand, or still in use). */
  isOutside(updatedAt: string, now: Date): boolean {
    const cutoff = this.cutoff(now);
    return cutoff !== null && updatedAt < cutoff;
  }

  /**
   * Changes the setting. Answers true when the replica lacks tickets the new window holds (it is
   * wider than what is here): the caller then pulls again from 0, which brings them.
   */
  setMonths(months: KeepOfflineMonths | null, now: Date): boolean {
    const kept = this.keptSince;
    this.putMeta(META.months, months === null ? null : String(months));
    return kept !== null && (months === null || windowStart(now, months) < kept);
  }

  /**
   * The `updatedSince` of a snapshot's page: fixed when its first page (cursor `0`) is asked for,
   * and the same for every later page, across restarts.
   */
  sinceForPage(cursor: string, now: Date): string | null {
    if (cursor === '0') {
      this.putMeta(META.snapshotSince, this.cutoff(now));
      this.putMeta(META.snapshotStartedAt, now.toISOString());
    }
    return this.meta(META.snapshotSince);
  }

  /** For one pull page: tickets that may come without all their comments are queued. */
  watchPage(snapshot: boolean, now: string): WindowPageWatch {
    const window = snapshot
      ? {
          kind: 'snapshot' as const,
          since: this.meta(META.snapshotSince),
          startedAt: this.meta(META.snapshotStartedAt) ?? now,
        }
      : { kind: 'after' as const, keptSince: this.keptSince };
    const nothingToWatch = snapshot ? window.since === null : this.keptSince === null;
    return (ticket, held) => {
      if (nothingToWatch) return;
      if (mayLackThread({ ...ticket, held }, window)) this.statements.queue!.run(ticket.id, now);
    };
  }

  /**
   * At the end of a snapshot, before the rows it did not send go (those of `generation` and
   * later stay): a windowed one did not send old tickets still in use, which are kept and fetched
   * again to be sure they are current. Then the window it asked for is what is here whole.
   */
  endSnapshot(generation: number, now: string): void {
    const since = this.meta(META.snapshotSince);
    if (since !== null) {
      const keep = this.db.prepare(
        `UPDATE base SET generation = ? WHERE generation < ?
           AND ((entity = 'ticket' AND id = ?) OR parent_id = ?)`,
      );
      for (const id of this.inUse()) {
        if (this.statements.baseTicket!.get(id) === undefined) continue;
        keep.run(generation, generation, id, id);
        this.statements.queue!.run(id, now);
      }
    }
    this.putMeta(META.keptSince, since);
    this.putMeta(META.snapshotSince, null);
    this.putMeta(META.snapshotStartedAt, null);
  }

  private inUse(): string[] {
    return (this.statements.inUse!.all() as Array<string | null>).filter(
      (id): id is string => typeof id === 'string',
    );
  }

  /** Tickets to fetch whole from the service, oldest request first. */
  queued(limit: number): string[] {
    return this.statements.queued!.all(limit) as string[];
  }

  /** Fetched (or found gone): off the queue. */
  dequeue(ticketId: string): void {
    this.statements.dequeue!.run(ticketId);
  }

  /** A ticket the agent opened on demand: kept for FETCHED_KEEP_MS from now. */
  markFetched(ticketId: string, now: Date): void {
    this.statements.fetched!.run(ticketId, now.toISOString());
  }

  /**
   * The tickets to let go now: outside the window and not in use or opened lately. Null when the
   * window keeps everything.
   */
  evictable(now: Date): { cutoff: string; ticketIds: string[] } | null {
    const cutoff = this.cutoff(now);
    if (cutoff === null) return null;
    const recently = new Date(now.getTime() - FETCHED_KEEP_MS).toISOString();
    this.statements.forgetFetched!.run(recently);
    const keep = new Set([
      ...this.inUse(),
      ...(this.statements.fetchedSince!.all(recently) as string[]),
    ]);
    const older = this.statements.older!.all(cutoff) as HeldTicket[];
    return { cutoff, ticketIds: ticketsToEvict(older, cutoff, keep) };
  }

  /**
   * After the tickets before `cutoff` went: attachments of tickets the replica does not hold go
   * too (one added to an old ticket arrives alone: unlike a comment, it leaves the ticket's
   * `updatedAt` as it was), and every ticket since `cutoff` is here whole.
   */
  evicted(cutoff: string): void {
    this.db
      .prepare(
        `DELETE FROM base WHERE entity = 'attachment'
           AND NOT EXISTS (SELECT 1 FROM base t WHERE t.entity = 'ticket' AND t.id = base.parent_id)
           AND NOT EXISTS (SELECT 1 FROM overlay o WHERE o.entity = 'ticket' AND o.id = base.parent_id)`,
      )
      .run();
    const kept = this.keptSince;
    if (kept === null || kept < cutoff) this.putMeta(META.keptSince, cutoff);
  }
}
