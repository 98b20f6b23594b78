/**
 * The rules of "keep offline: tickets updated in the last N months", pure: which tickets leave
 * the replica, and which pulled tickets may lack comments and attachments (and so are fetched
 * whole). See offline-window.ts for where they apply.
 */

export interface HeldTicket {
  id: string;
  /** The ticket's last update as the replica has it (ISO-8601 UTC). */
  updatedAt: string;
}

/**
 * The tickets to let go: last updated before `cutoff`, unless `keep` names them (a change not
 * yet confirmed, a held reply, a draft, a needs-attention item, a ticket opened on demand).
 */
export function ticketsToEvict(
  tickets: Iterable<HeldTicket>,
  cutoff: string,
  keep: ReadonlySet<string>,
): string[] {
  const out: string[] = [];
  for (const ticket of tickets) {
    if (ticket.updatedAt < cutoff && !keep.has(ticket.id)) out.push(ticket.id);
  }
  return out;
}

/** How far a service's clock may be behind this machine's for the check below. */
export const CLOCK_MARGIN_MS = 10 * 60_000;

export interface PulledTicket {
  createdAt: string;
  updatedAt: string;
  /** The replica held the ticket before this change. */
  held: boolean;
}

/**
 * Whether a ticket a pull brings may come without all its comments and attachments.
 * - After a snapshot (`keptSince`: every ticket updated since then is whole here): a ticket the
 *   replica did not hold, created before then, was outside the window when its comments went by.
 *   A newer one is new since, and its children come with it.
 * - During a snapshot with a window (`snapshot`): a ticket created before the window's start and
 *   updated while the snapshot ran may have had its comments left out on an earlier page (they
 *   belonged to a ticket then outside the window).
 */
export function mayLackThread(
  ticket: PulledTicket,
  window:
    | { kind: 'after'; keptSince: string | null }
    | { kind: 'snapshot'; since: string | null; startedAt: string },
): boolean {
  if (window.kind === 'after') {
    return window.keptSince !== null && !ticket.held && ticket.createdAt < window.keptSince;
  }
  if (window.since === null || ticket.createdAt >= window.since) return false;
  const started = new Date(Date.parse(window.startedAt) - CLOCK_MARGIN_MS).toISOString();
  return ticket.updatedAt >= started;
}
