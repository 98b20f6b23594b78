import { formatDateTime, ticketNumber } from '../lib/format';
import { useApp } from '../state/store';
import { AttentionNotice } from './attention-notice';
import { Composer } from './composer';
import { Conversation } from './conversation';
import { FOCUS_IDS } from './focus';
import { PendingMark } from './pending-mark';
import { RequesterCard } from './requester-card';
import { TagEditor } from './tag-editor';
import { TicketFields } from './ticket-fields';

/** The open ticket: its fields, tags, requester, conversation and the composer. */
export function TicketPane() {
  const detail = useApp((s) => s.detail);
  const users = useApp((s) => s.users);
  const error = useApp((s) => s.ticketError);
  const openId = useApp((s) => s.openId);

  return (
    <section id={FOCUS_IDS.pane} role="region" aria-label="Ticket" className="pane" tabIndex={-1}>
      {error && (
        <p role="alert" className="error inline">
          {error}
        </p>
      )}
      {!detail ? (
        <p className="empty">{openId ? 'Loading…' : 'Select a ticket to see it here.'}</p>
      ) : (
        <div className="pane-body" key={detail.ticket.id}>
          <header className="pane-header">
            <div className="pane-meta">
              <span className="pane-number">{ticketNumber(detail.ticket.number)}</span>
              {detail.ticket.pending && <PendingMark />}
              <span className="pane-dates">
                Created {formatDateTime(detail.ticket.createdAt)} · Updated{' '}
                {formatDateTime(detail.ticket.updatedAt)}
              </span>
            </div>
            <h2>{detail.ticket.subject}</h2>
          </header>
          <AttentionNotice items={detail.needsAttention} />
          <div className="pane-grid">
            <div className="pane-side">
              <TicketFields ticket={detail.ticket} assignee={detail.assignee} users={users} />
              <TagEditor ticketId={detail.ticket.id} tags={detail.ticket.tags} />
              <RequesterCard requester={detail.requester} />
            </div>
            <div className="pane-main">
              {detail.ticket.description && (
                <article className="description" aria-label="Original request">
                  <h3>Original request</h3>
                  <p>{detail.ticket.description}</p>
                </article>
              )}
              <Conversation comments={detail.comments} requester={detail.requester} users={users} />
              <Composer ticketId={detail.ticket.id} />
            </div>
          </div>
        </div>
      )}
    </section>
  );
}
