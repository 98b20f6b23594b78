import type { NeedsAttentionItem } from '../../src-shared/bridge/contract';
import type { Comment, Contact, Ticket } from '../../src-shared/domain/entities';
import type { TenantState } from '../support/sync-harness';
import type { Edit } from './random-edit';

/**
 * The verdict of a chaos run, from what the service holds once everything has synced and what
 * each client's replica holds on disk. Each finding is one readable line.
 *
 * - lost: an edit a client committed locally (and reported) whose effect is not on the service,
 *   and which is not in that client's needs-attention (with its reason) either. An effect may be
 *   gone for a good reason: its ticket was deleted (by a run's deleteTicket).
 * - doubled: an edit whose effect is on the service twice (a marked comment or ticket).
 * - diverged: a replica that differs from what a fresh pull of the service gives its user.
 * - stuck: a replica with something left in its outbox or held, or a client that did not drain.
 */
export interface Findings {
  lost: string[];
  doubled: string[];
  diverged: string[];
  stuck: string[];
}

export interface ClientOutcome {
  name: string;
  edits: readonly Edit[];
  replica: TenantState;
  /** The service's state as this client's user sees it (a pull from 0). */
  server: TenantState;
  needsAttention: readonly NeedsAttentionItem[];
  outbox: number;
  held: number;
  drained: boolean;
}

const sortedJson = <T extends { id: string }>(map: Map<string, T>) =>
  JSON.stringify([...map.values()].sort((a, b) => a.id.localeCompare(b.id)));

function firstDifference<T extends { id: string }>(
  mine: Map<string, T>,
  theirs: Map<string, T>,
): string {
  for (const [id, row] of theirs) {
    if (!mine.has(id)) return `${id} missing`;
    if (JSON.stringify(mine.get(id)) !== JSON.stringify(row)) {
      return `${id} differs: ${JSON.stringify(mine.get(id))} vs ${JSON.stringify(row)}`;
    }
  }
  for (const id of mine.keys()) if (!theirs.has(id)) return `${id} only in the replica`;
  return 'order';
}

/** Whether the client kept the edit in needs-attention (its mutation rejected or in conflict). */
function heldForAttention(edit: Edit, items: readonly NeedsAttentionItem[]): boolean {
  return items.some((item) => {
    if (item.name !== edit.name) return false;
    const args = item.args as { id?: string; ticketId?: string; tags?: string[] };
    if (edit.commentId) return args.id === edit.commentId;
    if (edit.createdTicketId) return args.id === edit.createdTicketId;
    if (edit.tag) return args.ticketId === edit.ticketId && !!args.tags?.includes(edit.tag);
    return args.ticketId === edit.ticketId;
  });
}

/** Why an edit's effect is not on the service, or null when it is. */
function missingEffect(edit: Edit, server: TenantState): string | null {
  const ticket = server.tickets.get(edit.ticketId);
  if (edit.commentId) {
    if (server.comments.has(edit.commentId)) return null;
    return ticket ? 'comment missing' : null;
  }
  if (edit.createdTicketId) return ticket ? null : 'deleted';
  if (edit.tag) {
    if (!ticket) return null;
    return ticket.tags.includes(edit.tag) ? null : `tag ${edit.tag} missing`;
  }
  if (edit.name === 'deleteTicket') return ticket ? 'ticket still there' : null;
  return null;
}

function duplicates<T>(rows: Iterable<T>, key: (row: T) => string | null): string[] {
  const counts = new Map<string, number>();
  for (const row of rows) {
    const k = key(row);
    if (k !== null) counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return [...counts].filter(([, n]) => n > 1).map(([k, n]) => `${k} ×${n}`);
}

const marked = (text: string) => (text.startsWith('chaos ') ? text : null);

export function checkRun(clients: readonly ClientOutcome[], admin: TenantState): Findings {
  const findings: Findings = { lost: [], doubled: [], diverged: [], stuck: [] };
  const deletedTickets = new Set(
    clients.flatMap((c) => c.edits.filter((e) => e.name === 'deleteTicket').map((e) => e.ticketId)),
  );
  for (const client of clients) {
    for (const edit of client.edits) {
      let why = missingEffect(edit, admin);
      // A created ticket deleted later by a run's own deleteTicket is gone for a good reason.
      if (why === 'deleted' && deletedTickets.has(edit.ticketId)) why = null;
      if (why && !heldForAttention(edit, client.needsAttention)) {
        findings.lost.push(
          `${client.name} ${edit.name} ${edit.marker} on ${edit.ticketId}: ${why}`,
        );
      }
    }
    for (const [what, mine, theirs] of [
      ['tickets', client.replica.tickets, client.server.tickets],
      ['comments', client.replica.comments, client.server.comments],
      ['contacts', client.replica.contacts, client.server.contacts],
    ] as Array<
      [string, Map<string, Ticket | Comment | Contact>, Map<string, Ticket | Comment | Contact>]
    >) {
      if (sortedJson(mine) !== sortedJson(theirs)) {
        findings.diverged.push(`${client.name} ${what}: ${firstDifference(mine, theirs)}`);
      }
    }
    if (!client.drained || client.outbox > 0 || client.held > 0) {
      findings.stuck.push(
        `${client.name}: drained=${client.drained} outbox=${client.outbox} held=${client.held}`,
      );
    }
  }
  findings.doubled.push(
    ...duplicates(admin.comments.values(), (c) => marked(c.body)).map((d) => `comment ${d}`),
    ...duplicates(admin.tickets.values(), (t) => marked(t.subject)).map((d) => `ticket ${d}`),
  );
  return findings;
}
