import type { Database, Statement } from 'better-sqlite3';
import {
  TICKET_DELETED_CODE,
  type HeldChanges,
  type HeldReply,
} from '../../../src-shared/bridge/triage';
import type { Comment, Ticket } from '../../../src-shared/domain/entities';
import type { RowReader } from '../../../src-shared/mutators/types';
import type { KnownChange } from '../../../src-shared/protocol/sync';
import {
  NO_CHANGES,
  collides,
  seenOf,
  withComment,
  withTicket,
  type SeenTicket,
} from './held-changes';

/** A mutation taken out of the outbox by a hold, as the agent queued it. */
export interface HeldMutation {
  name: string;
  args: Record<string, unknown>;
  createdAt: string;
}

/** Looks at the changes of one pull page to tickets with a reply queued or held. */
export interface PageWatch {
  /** Before `change` is written to base. */
  note(change: KnownChange): void;
  /** After the page is written: holds what collided; true when a reply was held. */
  finish(now: string): boolean;
}

type PullEvent =
  { kind: 'comment'; comment: Comment } | { kind: 'ticket'; before: Ticket; after: Ticket };

/**
 * Collision holds. A public reply is queued with the ticket as the agent saw it (`outbox.seen`).
 * When a pull brings someone else's change to that ticket before the reply is sent, the reply
 * and the agent's later changes to the same ticket leave the outbox for `held_replies` (their
 * outbox slots become `noop`, so the mutation ids the service sees stay gapless and nothing
 * behind them waits) until the agent sends, edits or discards it. A reply already sent (in
 * flight, or answered) is never held: the service may have it. Internal notes are not guarded:
 * no customer reads them, and a note that crosses a colleague's only adds to the record.
 *
 * Runs inside the replica's transactions; a hold takes effect with the pull page that caused it.
 */
export class HeldReplies {
  private readonly statements: Record<string, Statement>;

  constructor(
    db: Database,
    private readonly me: string,
  ) {
    const unsent = 'seen IS NOT NULL AND sent_at IS NULL AND result IS NULL';
    this.statements = {
      guarding: db.prepare(`SELECT 1 FROM outbox WHERE ${unsent} LIMIT 1`),
      watched: db.prepare(
        `SELECT json_extract(args, '$.ticketId') AS ticketId FROM outbox WHERE ${unsent}
         UNION SELECT ticket_id FROM held_replies`,
      ),
      guardedOf: db.prepare(
        `SELECT id, seen FROM outbox WHERE ${unsent} AND json_extract(args, '$.ticketId') = ? ORDER BY id`,
      ),
      heldOf: db.prepare('SELECT id, seen, changes FROM held_replies WHERE ticket_id = ?'),
      updateChanges: db.prepare('UPDATE held_replies SET changes = ? WHERE id = ?'),
      // The reply and what the agent queued after it on the ticket, not yet sent. Undos of sent
      // changes (`undone` compensations) go on: holding them would keep a change the agent took back.
      heldWith: db.prepare(
        `SELECT id, name, args, created_at FROM outbox
         WHERE id >= ? AND sent_at IS NULL AND result IS NULL AND undone = 0 AND name <> 'noop'
           AND json_extract(args, '$.ticketId') = ? ORDER BY id`,
      ),
      insert: db.prepare(
        'INSERT INTO held_replies (ticket_id, held_at, seen, changes, mutations) VALUES (?, ?, ?, ?, ?)',
      ),
      toNoop: db.prepare(
        "UPDATE outbox SET name = 'noop', args = '{}', base = NULL, inverse = NULL, seen = NULL WHERE id = ?",
      ),
      baseRow: db.prepare('SELECT data FROM base WHERE entity = ? AND id = ?'),
      count: db.prepare('SELECT count(*) AS n FROM held_replies'),
      all: db.prepare('SELECT * FROM held_replies ORDER BY id'),
      ofTicket: db.prepare('SELECT * FROM held_replies WHERE ticket_id = ? ORDER BY id'),
      one: db.prepare('SELECT * FROM held_replies WHERE id = ?'),
      remove: db.prepare('DELETE FROM held_replies WHERE id = ?'),
      heldTickets: db.prepare('SELECT DISTINCT ticket_id FROM held_replies').pluck(),
      removeOfTicket: db.prepare('DELETE FROM held_replies WHERE ticket_id = ?'),
      // mutation_id 0: a held reply left the outbox and was never sent.
      attention: db.prepare(
        `INSERT INTO needs_attention (mutation_id, name, args, kind, details, entity, entity_id, created_at)
         VALUES (0, ?, ?, 'rejected', ?, 'ticket', ?, ?)`,
      ),
    };
  }

  /** What to keep with a queued mutation: the ticket as seen, for a public reply; else null. */
  seenFor(name: string, args: Record<string, unknown>, rows: RowReader): string | null {
    if (name !== 'addComment' || args.public !== true || typeof args.ticketId !== 'string')
      return null;
    const ticket = rows.get('ticket', args.ticketId);
    return ticket ? JSON.stringify(seenOf(ticket)) : null;
  }

  /** A public reply waits to be sent: pull before pushing, so that it goes out checked. */
  guarding(): boolean {
    return this.statements.guarding!.get() !== undefined;
  }

  count(): number {
    return (this.statements.count!.get() as { n: number }).n;
  }

  /** Held replies, oldest first; of one ticket when given. */
  list(ticketId?: string): HeldReply[] {
    const rows = (
      ticketId === undefined ? this.statements.all!.all() : this.statements.ofTicket!.all(ticketId)
    ) as HeldRow[];
    return rows.map(toHeldReply);
  }

  /** Removes a held reply and returns what it held (the reply first), or null when unknown. */
  take(id: number): { ticketId: string; mutations: HeldMutation[] } | null {
    const row = this.statements.one!.get(id) as HeldRow | undefined;
    if (!row) return null;
    this.statements.remove!.run(id);
    return { ticketId: row.ticket_id, mutations: JSON.parse(row.mutations) as HeldMutation[] };
  }

  /**
   * Takes the held replies of tickets gone from the view (deleted on the service, or by a deletion
   * queued here) out of the holds: nothing can be sent to such a ticket (the service drops every
   * comment of a deleted ticket), and held they would wait forever. Each reply becomes a
   * needs-attention item with its text, which the ticket's pane shows ("no longer exists") until
   * the agent dismisses it; what was held with it goes. The window never lets a ticket with a
   * held reply go, so gone means deleted.
   */
  dropDeleted(exists: (ticketId: string) => boolean, now: string): void {
    const s = this.statements;
    const gone = (s.heldTickets!.all() as string[]).filter((id) => !exists(id));
    for (const id of gone) {
      for (const row of s.ofTicket!.all(id) as HeldRow[]) {
        const [reply] = JSON.parse(row.mutations) as HeldMutation[];
        s.attention!.run(reply!.name, JSON.stringify(reply!.args), TICKET_DELETED, id, now);
      }
      s.removeOfTicket!.run(id);
    }
  }

  /**
   * Starts looking at one pull page: `note` each change before it is written to base, then
   * `finish` (true when a reply was held: the outbox changed). Null when no reply is queued or
   * held (nothing to look at, nothing to pay).
   */
  watchPage(): PageWatch | null {
    const watched = new Set(
      (this.statements.watched!.all() as Array<{ ticketId: string | null }>)
        .map((row) => row.ticketId)
        .filter((id): id is string => id !== null),
    );
    if (watched.size === 0) return null;
    const events = new Map<string, PullEvent[]>();
    const add = (ticketId: string, event: PullEvent) => {
      const list = events.get(ticketId);
      if (list) list.push(event);
      else events.set(ticketId, [event]);
    };
    return {
      note: (change) => {
        if (change.op !== 'upsert') return;
        if (change.entity === 'comment') {
          const comment = change.data;
          // A comment already in base was seen (a snapshot delivers every row again).
          if (watched.has(comment.ticketId) && !this.baseRow('comment', comment.id))
            add(comment.ticketId, { kind: 'comment', comment });
        } else if (change.entity === 'ticket' && watched.has(change.id)) {
          const before = this.baseRow<Ticket>('ticket', change.id);
          if (before) add(change.id, { kind: 'ticket', before, after: change.data });
        }
      },
      finish: (now) => {
        let heldAny = false;
        for (const [ticketId, list] of events) {
          if (this.settle(ticketId, list, now)) heldAny = true;
        }
        return heldAny;
      },
    };
  }

  private baseRow<T>(entity: 'ticket' | 'comment', id: string): T | null {
    const row = this.statements.baseRow!.get(entity, id) as { data: string } | undefined;
    return row ? (JSON.parse(row.data) as T) : null;
  }

  /**
   * Folds one page's changes of a ticket into its held replies, and holds the first queued reply
   * they collide with. True when a reply was held.
   */
  private settle(ticketId: string, events: readonly PullEvent[], now: string): boolean {
    const s = this.statements;
    const fold = (start: HeldChanges, seen: SeenTicket) =>
      events.reduce(
        (changes, event) =>
          event.kind === 'comment'
            ? withComment(changes, event.comment, this.me)
            : withTicket(changes, seen, event.before, event.after, this.me),
        start,
      );
    for (const item of s.heldOf!.all(ticketId) as HeldRow[]) {
      const changes = JSON.parse(item.changes) as HeldChanges;
      const next = fold(changes, JSON.parse(item.seen) as SeenTicket);
      if (next !== changes) s.updateChanges!.run(JSON.stringify(next), item.id);
    }
    for (const reply of s.guardedOf!.all(ticketId) as Array<{ id: number; seen: string }>) {
      const changes = fold(NO_CHANGES, JSON.parse(reply.seen) as SeenTicket);
      if (!collides(changes)) continue;
      const rows = s.heldWith!.all(reply.id, ticketId) as Array<{
        id: number;
        name: string;
        args: string;
        created_at: string;
      }>;
      const mutations: HeldMutation[] = rows.map((row) => ({
        name: row.name,
        args: JSON.parse(row.args) as Record<string, unknown>,
        createdAt: row.created_at,
      }));
      s.insert!.run(ticketId, now, reply.seen, JSON.stringify(changes), JSON.stringify(mutations));
      for (const row of rows) s.toNoop!.run(row.id);
      return true;
    }
    return false;
  }
}

const TICKET_DELETED = JSON.stringify({
  error: { code: TICKET_DELETED_CODE, message: 'its ticket was deleted before it was sent' },
});

interface HeldRow {
  id: number;
  ticket_id: string;
  held_at: string;
  seen: string;
  changes: string;
  mutations: string;
}

function toHeldReply(row: HeldRow): HeldReply {
  const [reply, ...rest] = JSON.parse(row.mutations) as HeldMutation[];
  const args = reply!.args as { id: string; body: string; public: boolean };
  return {
    id: row.id,
    ticketId: row.ticket_id,
    commentId: args.id,
    body: args.body,
    public: args.public,
    writtenAt: reply!.createdAt,
    heldAt: row.held_at,
    changes: JSON.parse(row.changes) as HeldChanges,
    heldWith: rest.map(({ name, args: restArgs }) => ({ name, args: restArgs })),
  };
}
