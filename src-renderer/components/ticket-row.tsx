import type { CSSProperties } from 'react';
import type { TicketSummary } from '../../src-shared/bridge/ticket-query';
import { formatListTime, PRIORITY_LABELS, STATUS_LABELS, ticketNumber } from '../lib/format';
import { PendingMark } from './pending-mark';

export const ROW_HEIGHT = 56;

interface Props {
  ticket: TicketSummary | undefined;
  index: number;
  selected: boolean;
  style: CSSProperties;
  onSelect: (id: string, index: number) => void;
}

export const rowId = (ticketId: string) => `ticket-row-${ticketId}`;

/** One row of the ticket list (a placeholder while its page loads). */
export function TicketRow({ ticket, index, selected, style, onSelect }: Props) {
  if (!ticket) {
    return (
      <div role="option" aria-selected={false} className="row placeholder" style={style}>
        Loading…
      </div>
    );
  }
  return (
    <div
      id={rowId(ticket.id)}
      role="option"
      aria-selected={selected}
      data-pending={ticket.pending ? 'true' : undefined}
      className={selected ? 'row selected' : 'row'}
      style={style}
      onClick={() => onSelect(ticket.id, index)}
    >
      <div className="row-line">
        <span className="row-number">{ticketNumber(ticket.number)}</span>{' '}
        <span className="row-subject">{ticket.subject}</span>
        {ticket.pending && <PendingMark />}
        {ticket.needsAttention && <span className="attention-mark">Needs attention</span>}
        <span className="row-time">{formatListTime(ticket.updatedAt, new Date())}</span>
      </div>
      <div className="row-line secondary">
        <span className={`badge status-${ticket.status}`}>{STATUS_LABELS[ticket.status]}</span>
        <span className={`priority priority-${ticket.priority}`}>
          {PRIORITY_LABELS[ticket.priority]}
        </span>
        <span className="row-requester">{ticket.requesterName ?? 'Unknown requester'}</span>
      </div>
    </div>
  );
}
