import type { MutateManyResult } from '../../src-shared/bridge/triage';
import type { TriageChange } from './triage-text';

/** A ticket of the bulk selection, with what the report names it by. */
export interface CheckedTicket {
  id: string;
  number: number | null;
  subject: string;
}

export interface BulkFailure {
  ticket: CheckedTicket;
  message: string;
}

export interface BulkItem {
  ticket: CheckedTicket;
  mutation: { name: string; args: Record<string, unknown> };
}

function mutationOf(change: TriageChange, ticketId: string): BulkItem['mutation'] {
  switch (change.kind) {
    case 'fields':
      return { name: 'setTicketFields', args: { ticketId, fields: change.fields } };
    case 'add-tag':
      return { name: 'addTags', args: { ticketId, tags: [change.tag] } };
    case 'remove-tag':
      return { name: 'removeTags', args: { ticketId, tags: [change.tag] } };
  }
}

/** Each change on each ticket, as its own mutation (mutateMany answers in this order). */
export function bulkItems(
  changes: readonly TriageChange[],
  tickets: readonly CheckedTicket[],
): BulkItem[] {
  return changes.flatMap((change) =>
    tickets.map((ticket) => ({ ticket, mutation: mutationOf(change, ticket.id) })),
  );
}

/**
 * How many mutations were queued, how many tickets took every change, and each ticket with a
 * refused change (its first reason). Items without a result (the call failed) changed nothing.
 */
export function bulkOutcome(
  items: readonly BulkItem[],
  results: MutateManyResult['results'],
): { queued: number; changed: number; failures: BulkFailure[] } {
  const failed = new Map<string, BulkFailure>();
  const incomplete = new Set<string>();
  let queued = 0;
  items.forEach((item, i) => {
    const result = results[i];
    if (result?.ok) queued++;
    else incomplete.add(item.ticket.id);
    if (result && !result.ok && !failed.has(item.ticket.id))
      failed.set(item.ticket.id, { ticket: item.ticket, message: result.message });
  });
  const tickets = new Set(items.map((item) => item.ticket.id));
  return { queued, changed: tickets.size - incomplete.size, failures: [...failed.values()] };
}
