import { Random } from '../../src-server/demo/random';
import { TICKET_PRIORITIES, TICKET_STATUSES } from '../../src-shared/domain/enums';

/**
 * One random edit of a chaos client, chosen from what its replica shows. Every edit whose effect
 * can be looked for later carries the run's unique marker: a comment's body, a new ticket's
 * subject, an added tag. `Edit` is what the client reports once the edit is committed locally.
 */
export interface Edit {
  marker: string;
  name: string;
  ticketId: string;
  /** The comment or ticket the edit creates, or the tag it adds. */
  commentId?: string;
  createdTicketId?: string;
  tag?: string;
}

export interface EditPlan {
  name: string;
  args: Record<string, unknown>;
  edit: Edit;
}

const KINDS = [
  ['addComment', 5],
  ['setTicketFields', 3],
  ['addTags', 2],
  ['removeTags', 1],
  ['createTicket', 1],
  ['deleteTicket', 0.3],
] as const;

/** The tag of an edit's marker (tags are lower case). */
export const markerTag = (marker: string) => `m-${marker.toLowerCase()}`;

export function planEdit(
  seed: number,
  marker: string,
  tickets: ReadonlyArray<{ id: string; tags: string[] }>,
  contactIds: readonly string[],
): EditPlan | null {
  const rng = new Random(seed);
  const kind = rng.weighted(KINDS);
  if (kind === 'createTicket') {
    if (contactIds.length === 0) return null;
    const id = rng.uuid(Date.now());
    const args = {
      id,
      subject: `chaos ${marker}`,
      description: 'made by a chaos run',
      requesterId: rng.pick(contactIds),
    };
    return { name: kind, args, edit: { marker, name: kind, ticketId: id, createdTicketId: id } };
  }
  if (tickets.length === 0) return null;
  const ticket = rng.pick(tickets);
  const base = { marker, name: kind, ticketId: ticket.id };
  switch (kind) {
    case 'addComment': {
      const id = rng.uuid(Date.now());
      const args = { id, ticketId: ticket.id, body: `chaos ${marker}`, public: rng.next() < 0.7 };
      return { name: kind, args, edit: { ...base, commentId: id } };
    }
    case 'setTicketFields': {
      // Never closed: a closed ticket takes no more edits, and the run would mostly test that.
      const statuses = TICKET_STATUSES.filter((status) => status !== 'closed');
      const fields =
        rng.next() < 0.5
          ? { status: rng.pick(statuses) }
          : { priority: rng.pick(TICKET_PRIORITIES) };
      return { name: kind, args: { ticketId: ticket.id, fields }, edit: base };
    }
    case 'addTags': {
      const tag = markerTag(marker);
      const shared = rng.pick(['shared-a', 'shared-b', 'shared-c']);
      return {
        name: kind,
        args: { ticketId: ticket.id, tags: [tag, shared] },
        edit: { ...base, tag },
      };
    }
    case 'removeTags': {
      // Only unmarked tags: a marker tag is what shows an addition arrived.
      const removable = ticket.tags.filter((tag) => !tag.startsWith('m-'));
      const tag = removable.length > 0 ? rng.pick(removable) : 'shared-a';
      return { name: kind, args: { ticketId: ticket.id, tags: [tag] }, edit: base };
    }
    case 'deleteTicket':
      return { name: kind, args: { ticketId: ticket.id }, edit: base };
  }
}
