import { lastCustomerReplyAt } from '../../src-shared/bridge/customer-reply';
import { elapsedSince } from '../../src-shared/bridge/elapsed';
import { formatDateTime, ticketNumber } from '../lib/format';
import { useApp } from '../state/store';
import { AttentionNotice } from './attention-notice';
import { Attachments } from './attachments';
import { Composer } from './composer';
import { Conversation } from './conversation';
import { FOCUS_IDS } from './focus';
import { HeldReplies } from './held-replies';
import { NotKeptOffline } from './not-kept-offline';
import { PendingMark } from './pending-mark';
import { RequesterCard } from './requester-card';
import { TagEditor } from './tag-editor';
import { TicketFields } from './ticket-fields';
import { useNow } from './use-now';

/**
 * The open ticket: what needs the agent first (held replies, conflicts), its fields, tags,
 * requester, attachments, SLA clocks, conversation and the composer.
 */
export function TicketPane() {
  const detail = useApp((s) => s.detail);
  const now = useNow();
  const users = useApp((s) => s.users);
  const error = useApp((s) => s.ticketError);
  const openId = useApp((s) => s.openId);
  const orphanAttention = useApp((s) => s.orphanAttention);

  return (
    <section id={FOCUS_IDS.pane} role="region" aria-label="Ticket" className="pane" tabIndex={-1}>
      {error && (
        <p role="alert" className="error inline">
          {error}
        </p>
      )}
      {!detail ? (
        <>
          {!error && (
            <p className="empty">{openId ? 'Loading…' : 'Select a ticket to see it here.'}</p>
          )}
          <AttentionNotice items={orphanAttention} users={users} />
        </>
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
            <p className="pane-clocks" aria-label="Clocks">
              <span>Age {elapsedSince(detail.ticket.createdAt, now)}</span>
              <span>
                Customer last wrote{' '}
                {elapsedSince(lastCustomerReplyAt(detail.ticket, detail.comments), now)} ago
              </span>
            </p>
          </header>
          {!detail.keptOffline && <NotKeptOffline />}
          <HeldReplies replies={detail.heldReplies} users={users} />
          <AttentionNotice items={detail.needsAttention} users={users} />
          <div className="pane-grid">
            <div className="pane-side">
              <TicketFields ticket={detail.ticket} assignee={detail.assignee} users={users} />
              <TagEditor ticketId={detail.ticket.id} tags={detail.ticket.tags} />
              <RequesterCard requester={detail.requester} />
              <Attachments attachments={detail.attachments} />
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
