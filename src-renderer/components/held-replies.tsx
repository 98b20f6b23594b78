import { useState, type KeyboardEvent } from 'react';
import type { HeldReply } from '../../src-shared/bridge/triage';
import type { User } from '../../src-shared/domain/entities';
import { resolveHeldReply } from '../actions/mutations';
import { editHeldReply } from '../actions/ticket-actions';
import { formatDateTime } from '../lib/format';
import { heldChangeLines } from '../lib/held-text';
import { mutationText } from '../lib/triage-text';
import { useApp } from '../state/store';
import { ErrorAlert } from './error-alert';
import { FOCUS_IDS, focusWhenReady } from './focus';

interface CardProps {
  reply: HeldReply;
  users: User[];
  /** The first held reply: the one Shift+S / E / D act on. */
  first: boolean;
}

function HeldReplyCard({ reply, users, first }: CardProps) {
  const me = useApp((s) => s.session?.user.id ?? null);
  const editing = useApp((s) => s.heldEditing === reply.id);
  const [body, setBody] = useState(reply.body);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const keys = (key: string) => (first ? `Shift+${key}` : undefined);

  const resolve = async (input: Parameters<typeof resolveHeldReply>[0]) => {
    setBusy(true);
    const problem = await resolveHeldReply(input);
    setBusy(false);
    setError(problem);
    if (!problem) editHeldReply(null);
  };
  const sendEdited = () => void resolve({ id: reply.id, action: 'edit', body });
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      sendEdited();
    }
  };

  return (
    <section className="held" aria-label="Held reply">
      <h3>{reply.public ? 'Reply' : 'Note'} not sent: the ticket changed since you wrote it</h3>
      <ul className="held-changes" aria-label="What changed">
        {heldChangeLines(reply.changes, users, me).map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
      <p className="hint">
        Written {formatDateTime(reply.writtenAt)}
        {reply.heldWith.length > 0 &&
          ` · held with it: ${reply.heldWith.map((m) => mutationText(m, users)).join('; ')}`}
      </p>
      {editing ? (
        <>
          <label htmlFor={FOCUS_IDS.heldEdit} className="visually-hidden">
            Edited reply
          </label>
          <textarea
            id={FOCUS_IDS.heldEdit}
            rows={4}
            value={body}
            onChange={(e) => setBody(e.target.value)}
            onKeyDown={onKeyDown}
          />
        </>
      ) : (
        <blockquote className="held-body">{reply.body}</blockquote>
      )}
      <ErrorAlert message={error} />
      <div className="form-actions">
        {editing ? (
          <>
            <button type="button" className="primary" disabled={busy} onClick={sendEdited}>
              Send edited reply
            </button>
            <button type="button" onClick={() => editHeldReply(null)}>
              Cancel
            </button>
          </>
        ) : (
          <>
            <button
              type="button"
              className="primary"
              disabled={busy}
              aria-keyshortcuts={keys('S')}
              onClick={() => void resolve({ id: reply.id, action: 'send' })}
            >
              Send anyway
            </button>
            <button
              type="button"
              disabled={busy}
              aria-keyshortcuts={keys('E')}
              onClick={() => {
                editHeldReply(reply.id);
                focusWhenReady(FOCUS_IDS.heldEdit);
              }}
            >
              Edit
            </button>
            <button
              type="button"
              className="danger"
              disabled={busy}
              aria-keyshortcuts={keys('D')}
              onClick={() => void resolve({ id: reply.id, action: 'discard' })}
            >
              Discard
            </button>
          </>
        )}
      </div>
    </section>
  );
}

/** Replies held because the ticket changed before they went out: the agent decides each. */
export function HeldReplies({ replies, users }: { replies: HeldReply[]; users: User[] }) {
  return replies.map((reply, i) => (
    <HeldReplyCard key={reply.id} reply={reply} users={users} first={i === 0} />
  ));
}
