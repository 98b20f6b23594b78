import type { EntityName } from '../../../src-shared/domain/entities';
import type { TicketThread } from '../../../src-shared/protocol/tickets';
import { ServiceError } from '../net/service-error';
import type { Replica } from '../replica/replica';

/** Tickets fetched whole per sync cycle at most; the rest wait for the next cycle. */
export const THREADS_PER_CYCLE = 50;

/** A ticket's rows as base holds them, from a thread the service answered. */
export function threadRows(
  thread: TicketThread,
): Array<{ entity: EntityName; id: string; data: Record<string, unknown> }> {
  return [
    { entity: 'ticket', id: thread.ticket.id, data: thread.ticket },
    ...thread.comments.map((c) => ({ entity: 'comment' as const, id: c.id, data: c })),
    ...thread.attachments.map((a) => ({ entity: 'attachment' as const, id: a.id, data: a })),
  ];
}

export interface WindowUpkeep {
  /** Attachment contents (SHA-256) no ticket here refers to any more: their cached copies can go. */
  unreferenced: string[];
  /** Tickets still waiting to be fetched whole. */
  more: boolean;
}

/**
 * After a pull: fetches whole the tickets the offline window queued (their comments may have gone
 * by while they were away; one the service no longer has is dropped), then lets go of the tickets
 * outside the window. `fetchThread` answers null for a ticket the service does not have (without
 * it, the queue waits); `checkpoint` throws once the replica must not be touched any more.
 */
export async function keepWindow(
  replica: Replica,
  fetchThread: ((ticketId: string) => Promise<TicketThread | null>) | undefined,
  now: () => Date,
  checkpoint: () => void,
): Promise<WindowUpkeep> {
  const more = fetchThread ? await fetchQueued(replica, fetchThread, checkpoint) : false;
  const { unreferenced } = evictOutsideWindow(replica, now());
  return { unreferenced, more };
}

/** Fetches whole up to THREADS_PER_CYCLE queued tickets; true when more wait to go at once. */
async function fetchQueued(
  replica: Replica,
  fetchThread: (ticketId: string) => Promise<TicketThread | null>,
  checkpoint: () => void,
): Promise<boolean> {
  const queued = replica.window.queued(THREADS_PER_CYCLE + 1);
  for (const id of queued.slice(0, THREADS_PER_CYCLE)) {
    let thread: TicketThread | null;
    try {
      thread = await fetchThread(id);
    } catch (error) {
      checkpoint();
      // Not now: the next cycle tries again (not at once, which would ask in a tight loop).
      if (refusal(error) === 'later') return false;
      // The service will never answer this one: the ticket stays as it is here.
      replica.window.dequeue(id);
      continue;
    }
    checkpoint();
    replica.db.transaction(() => {
      replica.replaceTickets([id], thread ? threadRows(thread) : []);
      replica.window.dequeue(id);
    })();
  }
  return queued.length > THREADS_PER_CYCLE;
}

/**
 * Lets go of the tickets outside the offline window that are not in use, with their comments,
 * attachments and full-text rows. Answers how many went, and the attachment contents (SHA-256)
 * no ticket here refers to any more.
 */
export function evictOutsideWindow(
  replica: Replica,
  now: Date,
): { removed: number; unreferenced: string[] } {
  const plan = replica.window.evictable(now);
  if (!plan) return { removed: 0, unreferenced: [] };
  const hashes = attachmentHashes(replica, plan.ticketIds);
  replica.db.transaction(() => {
    replica.replaceTickets(plan.ticketIds, []);
    replica.window.evicted(plan.cutoff);
  })();
  const stillReferenced = hashes.length > 0 ? referencedHashes(replica) : new Set<string>();
  return {
    removed: plan.ticketIds.length,
    unreferenced: hashes.filter((hash) => !stillReferenced.has(hash)),
  };
}

/**
 * A failed fetch: `later` when it may work next cycle (no answer, 429, 5xx), `never` when the
 * service refused this ticket for good or answered nonsense. Anything else (a certificate, a
 * sign-in, an upgrade) is the cycle's failure, as it is for a pull.
 */
function refusal(error: unknown): 'later' | 'never' {
  if (!(error instanceof ServiceError)) throw error;
  if (error.retryable) return 'later';
  const forGood =
    error.kind === 'bad_response' ||
    (error.kind === 'http' &&
      error.status !== 401 &&
      error.status !== 426 &&
      error.status !== null &&
      error.status < 500);
  if (forGood) return 'never';
  throw error;
}

function attachmentHashes(replica: Replica, ticketIds: readonly string[]): string[] {
  const select = replica.db
    .prepare(
      "SELECT json_extract(data, '$.sha256') FROM base WHERE parent_id = ? AND entity = 'attachment'",
    )
    .pluck();
  return [...new Set(ticketIds.flatMap((id) => select.all(id) as string[]))];
}

/** The contents (SHA-256) the attachments here refer to: one scan, whatever was evicted. */
function referencedHashes(replica: Replica): Set<string> {
  const hashes = replica.db
    .prepare("SELECT DISTINCT json_extract(data, '$.sha256') FROM base WHERE entity = 'attachment'")
    .pluck()
    .all() as string[];
  return new Set(hashes);
}
