import { randomUUID } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import type { Replica } from '../../../src-main/core/replica/replica';
import { TICKET_PRIORITIES, TICKET_STATUSES } from '../../../src-shared/domain/enums';
import type { Mutation } from '../support/api-user';
import type { BenchClient } from './bench-client';

interface Target {
  id: string;
  status: string;
  priority: string;
  tag: string | null;
}

/** `count` local mutations of every kind an agent makes while triaging, on random tickets. */
function triage(db: Database, count: number): Mutation[] {
  const tickets = db
    .prepare(
      `SELECT t.id, t.status, t.priority,
         (SELECT g.tag FROM ticket_tags g WHERE g.ticket_rowid = t.rowid LIMIT 1) AS tag
       FROM tickets t ORDER BY random() LIMIT ?`,
    )
    .all(count) as Target[];
  const contact = db.prepare("SELECT id FROM base WHERE entity = 'contact' LIMIT 1").get() as {
    id: string;
  };
  return Array.from({ length: count }, (_, i): Mutation => {
    const t = tickets[i % tickets.length]!;
    switch (i % 7) {
      case 0:
        return {
          name: 'setTicketFields',
          args: { ticketId: t.id, fields: { status: TICKET_STATUSES.find((s) => s !== t.status) } },
        };
      case 1:
        return {
          name: 'setTicketFields',
          args: {
            ticketId: t.id,
            fields: { priority: TICKET_PRIORITIES.find((p) => p !== t.priority) },
          },
        };
      case 2:
        return { name: 'addTags', args: { ticketId: t.id, tags: ['follow-up'] } };
      case 3:
        return t.tag
          ? { name: 'removeTags', args: { ticketId: t.id, tags: [t.tag] } }
          : { name: 'addTags', args: { ticketId: t.id, tags: ['escalated'] } };
      case 4:
        return {
          name: 'addComment',
          args: {
            id: randomUUID(),
            ticketId: t.id,
            body: 'Thanks, I am looking into it and will get back to you today.',
            public: true,
          },
        };
      case 5:
        return {
          name: 'addComment',
          args: {
            id: randomUUID(),
            ticketId: t.id,
            body: 'Internal note: checked the logs, same cause as the outage last week.',
            public: false,
          },
        };
      default:
        return {
          name: 'createTicket',
          args: {
            id: randomUUID(),
            subject: `Follow-up call about ticket ${i}`,
            description: 'Opened by phone.',
            requesterId: contact.id,
            priority: 'normal',
          },
        };
    }
  });
}

/**
 * Commits `count` local mutations one at a time (outbox + optimistic apply + projection, in one
 * transaction each), offline: nothing is pushed. Returns the time of each.
 */
export function measureMutations(replica: Replica, count: number): number[] {
  return triage(replica.db, count).map((m) => {
    const started = performance.now();
    replica.mutate(m.name, m.args, new Date().toISOString());
    return performance.now() - started;
  });
}

/**
 * The client comes back online with its queue: one sync cycle, timed until the service has
 * acknowledged every queued mutation (the pull that follows is not counted). Each must be applied.
 */
export async function measurePush(
  client: BenchClient,
): Promise<{ seconds: number; acknowledged: number }> {
  const { replica, engine } = client;
  const queued = replica.counts().pending;
  const unanswered = replica.db.prepare('SELECT count(*) AS n FROM outbox WHERE result IS NULL');
  const refused = replica.db.prepare(
    "SELECT count(*) AS n FROM outbox WHERE result IS NOT NULL AND json_extract(result, '$.status') <> 'applied'",
  );
  let seconds: number | null = null;
  let notApplied = 0;
  const started = performance.now();
  const stop = engine.subscribe(() => {
    if (seconds !== null || !replica.db.open) return;
    if ((unanswered.get() as { n: number }).n > 0) return;
    seconds = (performance.now() - started) / 1000;
    notApplied = (refused.get() as { n: number }).n;
  });
  try {
    const status = await engine.syncNow();
    if (status.state !== 'idle') throw new Error(`the push ended ${JSON.stringify(status)}`);
  } finally {
    stop();
  }
  if (seconds === null) throw new Error('the sync ended with mutations unanswered');
  if (notApplied > 0) throw new Error(`${notApplied} of ${queued} mutations were not applied`);
  return { seconds, acknowledged: queued };
}
