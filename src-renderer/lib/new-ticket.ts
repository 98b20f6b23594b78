import type { z } from 'zod';
import type { TicketPriority } from '../../src-shared/domain/enums';
import { CreateContactArgs, CreateTicketArgs } from '../../src-shared/mutators/args';

/** The "New ticket" form: on behalf of a known contact, or of one created with it. */
export interface NewTicketForm {
  requester:
    { kind: 'existing'; contactId: string | null } | { kind: 'new'; name: string; email: string };
  subject: string;
  description: string;
  priority: TicketPriority;
}

export type PlannedMutation = {
  name: 'createContact' | 'createTicket';
  args: Record<string, unknown>;
};

export type NewTicketPlan =
  { ok: true; ticketId: string; mutations: PlannedMutation[] } | { ok: false; message: string };

const LABELS: Record<string, string> = {
  name: 'The contact’s name',
  email: 'The contact’s email',
  subject: 'The subject',
  description: 'The description',
};

/** The first problem of a parse in words, naming the form's field. */
function problem(error: z.ZodError): string {
  const issue = error.issues[0];
  const field = issue?.path[0];
  const label = typeof field === 'string' ? (LABELS[field] ?? field) : 'This ticket';
  if (issue?.code === 'too_big')
    return `${label} may be at most ${String(issue.maximum)} characters.`;
  return `${label} ${issue?.message ?? 'is not valid'}.`;
}

/**
 * The mutations that create the ticket (and first its new requester), checked with the schemas
 * the replica and the service apply: offline, both wait in the outbox in this order.
 */
export function planNewTicket(form: NewTicketForm, newId: () => string): NewTicketPlan {
  const mutations: PlannedMutation[] = [];
  let requesterId: string;
  if (form.requester.kind === 'new') {
    const contact = CreateContactArgs.safeParse({
      id: newId(),
      name: form.requester.name,
      ...(form.requester.email.trim() === '' ? {} : { email: form.requester.email }),
    });
    if (!contact.success) return { ok: false, message: problem(contact.error) };
    requesterId = contact.data.id;
    mutations.push({ name: 'createContact', args: contact.data });
  } else if (form.requester.contactId === null) {
    return { ok: false, message: 'Choose the requester, or create a new contact.' };
  } else {
    requesterId = form.requester.contactId;
  }
  const ticket = CreateTicketArgs.safeParse({
    id: newId(),
    subject: form.subject,
    description: form.description,
    requesterId,
    priority: form.priority,
  });
  if (!ticket.success) return { ok: false, message: problem(ticket.error) };
  mutations.push({ name: 'createTicket', args: ticket.data });
  return { ok: true, ticketId: ticket.data.id, mutations };
}
