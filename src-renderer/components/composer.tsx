import { useState, type FormEvent, type KeyboardEvent } from 'react';
import { addComment } from '../actions/mutations';
import { setComposePublic } from '../actions/ticket-actions';
import { useApp } from '../state/store';
import { FOCUS_IDS } from './focus';

/** Writes a public reply (the requester sees it) or an internal note (agents only). */
export function Composer({ ticketId }: { ticketId: string }) {
  const isPublic = useApp((s) => s.composePublic);
  const [body, setBody] = useState('');
  const [sending, setSending] = useState(false);

  const send = async () => {
    if (body.trim() === '' || sending) return;
    setSending(true);
    const sent = await addComment(ticketId, body, isPublic);
    setSending(false);
    if (sent) setBody('');
  };
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void send();
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void send();
    }
  };

  return (
    <form className={isPublic ? 'composer' : 'composer internal'} onSubmit={onSubmit}>
      <fieldset className="comment-kind-choice">
        <legend>Comment kind</legend>
        <label>
          <input
            type="radio"
            name="comment-kind"
            checked={isPublic}
            onChange={() => setComposePublic(true)}
          />
          Public reply
        </label>
        <label>
          <input
            type="radio"
            name="comment-kind"
            checked={!isPublic}
            onChange={() => setComposePublic(false)}
          />
          Internal note
        </label>
      </fieldset>
      <label htmlFor={FOCUS_IDS.comment} className="visually-hidden">
        Comment
      </label>
      <textarea
        id={FOCUS_IDS.comment}
        value={body}
        onChange={(e) => setBody(e.target.value)}
        onKeyDown={onKeyDown}
        rows={4}
        placeholder={
          isPublic
            ? 'Reply to the requester… (Ctrl+Enter sends)'
            : 'Note for agents only… (Ctrl+Enter sends)'
        }
      />
      <div className="composer-actions">
        <button type="submit" className="primary" disabled={sending || body.trim() === ''}>
          Send
        </button>
      </div>
    </form>
  );
}
