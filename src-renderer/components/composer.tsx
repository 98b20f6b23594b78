import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { keepDraft, loadDraft } from '../actions/draft-actions';
import { addComment } from '../actions/mutations';
import { setComposePublic } from '../actions/ticket-actions';
import { useApp } from '../state/store';
import { FOCUS_IDS } from './focus';

/** A pause in typing this long keeps the draft. */
const DRAFT_PAUSE_MS = 400;

type DraftState = 'none' | 'saving' | 'saved' | 'failed';

const DRAFT_TEXT: Record<DraftState, string> = {
  none: '',
  saving: 'Saving draft…',
  saved: 'Draft saved',
  failed: 'The draft could not be kept on this computer',
};

/**
 * Writes a public reply (the requester sees it) or an internal note (agents only). What is typed
 * is kept as the ticket's draft at each pause, and when the ticket or the window closes: it comes
 * back with the ticket, in a new window, after the app restarts.
 */
export function Composer({ ticketId }: { ticketId: string }) {
  const isPublic = useApp((s) => s.composePublic);
  const [body, setBody] = useState('');
  const [sending, setSending] = useState(false);
  const [draft, setDraft] = useState<DraftState>('none');
  /** What is on screen, and whether the agent changed it since it was last kept. */
  const latest = useRef({ body: '', isPublic, dirty: false, touched: false });
  latest.current.body = body;
  latest.current.isPublic = isPublic;

  const persist = async () => {
    const { body: text, isPublic: kind, dirty } = latest.current;
    if (!dirty) return;
    latest.current.dirty = false;
    setDraft('saving');
    const kept = await keepDraft(ticketId, text, kind);
    setDraft(kept ? (text.trim() === '' ? 'none' : 'saved') : 'failed');
  };
  const persistRef = useRef(persist);
  persistRef.current = persist;

  useEffect(() => {
    let current = true;
    void loadDraft(ticketId).then((saved) => {
      // Typing that began before the draft arrived wins over it.
      if (!current || !saved || latest.current.touched) return;
      setBody(saved.body);
      setComposePublic(saved.public);
      setDraft('saved');
    });
    const flush = () => void persistRef.current();
    window.addEventListener('pagehide', flush);
    return () => {
      current = false;
      window.removeEventListener('pagehide', flush);
      flush();
    };
  }, [ticketId]);

  useEffect(() => {
    if (!latest.current.dirty) return;
    const timer = window.setTimeout(() => void persistRef.current(), DRAFT_PAUSE_MS);
    return () => window.clearTimeout(timer);
  }, [body, isPublic]);

  const edit = (text: string) => {
    latest.current.touched = true;
    latest.current.dirty = true;
    setBody(text);
  };
  const choose = (kind: boolean) => {
    if (latest.current.body.trim() !== '') latest.current.dirty = true;
    setComposePublic(kind);
  };

  const send = async () => {
    if (body.trim() === '' || sending) return;
    setSending(true);
    const sent = await addComment(ticketId, body, isPublic);
    setSending(false);
    if (!sent) return;
    setBody('');
    latest.current.body = '';
    latest.current.dirty = true;
    await persist();
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
            onChange={() => choose(true)}
          />
          Public reply
        </label>
        <label>
          <input
            type="radio"
            name="comment-kind"
            checked={!isPublic}
            onChange={() => choose(false)}
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
        onChange={(e) => edit(e.target.value)}
        onKeyDown={onKeyDown}
        rows={4}
        placeholder={
          isPublic
            ? 'Reply to the requester… (Ctrl+Enter sends)'
            : 'Note for agents only… (Ctrl+Enter sends)'
        }
      />
      <div className="composer-actions">
        <span className="draft-state">{DRAFT_TEXT[draft]}</span>
        <button type="submit" className="primary" disabled={sending || body.trim() === ''}>
          Send
        </button>
      </div>
    </form>
  );
}
