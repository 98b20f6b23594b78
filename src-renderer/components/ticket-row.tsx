import type { CSSProperties, MouseEvent } from 'react';
import { elapsedSince } from '../../src-shared/bridge/elapsed';
import type { TicketSummary } from '../../src-shared/bridge/ticket-query';
import { formatListTime, PRIORITY_LABELS, STATUS_LABELS, ticketNumber } from '../lib/format';
import { PendingMark } from './pending-mark';

export const ROW_HEIGHT = 56;

interface Props {
  ticket: TicketSummary | undefined;
  index: number;
  selected: boolean;
  /** In the bulk selection; undefined while nothing is (the rows then say nothing of it). */
  checked: boolean | undefined;
  now: Date;
  style: CSSProperties;
  onSelect: (id: string, index: number) => void;
  onToggle: (ticket: TicketSummary) => void;
}

export const rowId = (ticketId: string) => `ticket-row-${ticketId}`;

/** One row of the ticket list (a placeholder while its page loads), with its SLA clocks. */
export function TicketRow({
  ticket,
  index,
  selected,
  checked,
  now,
  style,
  onSelect,
  onToggle,
}: Props) {
  if (!ticket) {
    return (
      <div role="option" aria-selected={false} className="row placeholder" style={style}>
        Loading…
      </div>
    );
  }
  const onClick = (event: MouseEvent) => {
    if (event.ctrlKey || event.metaKey) onToggle(ticket);
    else onSelect(ticket.id, index);
  };
  const classes = ['row', selected && 'selected', checked && 'checked'].filter(Boolean).join(' ');
  return (
    <div
      id={rowId(ticket.id)}
      role="option"
      aria-selected={selected}
      aria-checked={checked}
      data-pending={ticket.pending ? 'true' : undefined}
      className={classes}
      style={style}
      onClick={onClick}
    >
      <div className="row-line">
        {checked !== undefined && (
          <span className="row-check" aria-hidden="true">
            {checked ? '☑' : '☐'}
          </span>
        )}
        <span className="row-number">{ticketNumber(ticket.number)}</span>{' '}
        <span className="row-subject">{ticket.subject}</span>
        {ticket.pending && <PendingMark />}
        {ticket.needsAttention && <span className="attention-mark">Needs attention</span>}
        <span className="row-time">{formatListTime(ticket.updatedAt, now)}</span>
      </div>
      <div className="row-line secondary">
        <span className={`badge status-${ticket.status}`}>{STATUS_LABELS[ticket.status]}</span>
        <span className={`priority priority-${ticket.priority}`}>
          {PRIORITY_LABELS[ticket.priority]}
        </span>
        <span className="row-requester">{ticket.requesterName ?? 'Unknown requester'}</span>
        <span className="clocks">
          <span className="clock" title="Time since the ticket was created">
            Age {elapsedSince(ticket.createdAt, now)}
          </span>
          <span className="clock" title="Time since the customer last wrote">
            Customer {elapsedSince(ticket.lastCustomerReplyAt, now)} ago
          </span>
        </span>
      </div>
    </div>
  );
}
