import type { TicketDetail } from '../../src-shared/bridge/contract';
import type { User } from '../../src-shared/domain/entities';
import {
  TICKET_PRIORITIES,
  TICKET_STATUSES,
  TICKET_TYPES,
  type TicketPriority,
  type TicketStatus,
  type TicketType,
} from '../../src-shared/domain/enums';
import { setTicketFields } from '../actions/mutations';
import { PRIORITY_LABELS, STATUS_LABELS, TYPE_LABELS } from '../lib/format';
import { FOCUS_IDS } from './focus';

interface Props {
  ticket: TicketDetail['ticket'];
  assignee: User | null;
  users: User[];
}

/** Status, priority, assignee and type: each change is one setTicketFields mutation. */
export function TicketFields({ ticket, assignee, users }: Props) {
  // Deactivated agents cannot take tickets, but the current assignee is always listed.
  const agents = users.filter((u) => u.active || u.id === ticket.assigneeId);
  if (assignee && !agents.some((u) => u.id === assignee.id)) agents.push(assignee);
  const set = (fields: Parameters<typeof setTicketFields>[1]) =>
    void setTicketFields(ticket.id, fields);

  return (
    <div className="fields">
      <label htmlFor={FOCUS_IDS.status}>Status</label>
      <select
        id={FOCUS_IDS.status}
        value={ticket.status}
        onChange={(e) => set({ status: e.target.value as TicketStatus })}
      >
        {TICKET_STATUSES.map((s) => (
          <option key={s} value={s}>
            {STATUS_LABELS[s]}
          </option>
        ))}
      </select>
      <label htmlFor={FOCUS_IDS.priority}>Priority</label>
      <select
        id={FOCUS_IDS.priority}
        value={ticket.priority}
        onChange={(e) => set({ priority: e.target.value as TicketPriority })}
      >
        {TICKET_PRIORITIES.map((p) => (
          <option key={p} value={p}>
            {PRIORITY_LABELS[p]}
          </option>
        ))}
      </select>
      <label htmlFor={FOCUS_IDS.assignee}>Assignee</label>
      <select
        id={FOCUS_IDS.assignee}
        value={ticket.assigneeId ?? ''}
        onChange={(e) => set({ assigneeId: e.target.value === '' ? null : e.target.value })}
      >
        <option value="">Unassigned</option>
        {agents.map((u) => (
          <option key={u.id} value={u.id}>
            {u.name}
          </option>
        ))}
      </select>
      <label htmlFor="ticket-type">Type</label>
      <select
        id="ticket-type"
        value={ticket.type ?? ''}
        onChange={(e) =>
          set({ type: e.target.value === '' ? null : (e.target.value as TicketType) })
        }
      >
        <option value="">No type</option>
        {TICKET_TYPES.map((t) => (
          <option key={t} value={t}>
            {TYPE_LABELS[t]}
          </option>
        ))}
      </select>
    </div>
  );
}
