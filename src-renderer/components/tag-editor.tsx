import { useState, type KeyboardEvent } from 'react';
import { addTag, removeTag } from '../actions/mutations';
import { parseTag } from '../lib/tag-input';
import { FOCUS_IDS } from './focus';

interface Props {
  ticketId: string;
  tags: string[];
}

/** The ticket's tags, each with a remove button, and a field that adds one on Enter. */
export function TagEditor({ ticketId, tags }: Props) {
  const [draft, setDraft] = useState('');
  const [error, setError] = useState<string | null>(null);

  const onKeyDown = async (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    if (draft.trim() === '') return;
    const tag = parseTag(draft);
    if (!tag.ok) {
      setError(tag.message);
      return;
    }
    setError(null);
    if (tags.includes(tag.tag) || (await addTag(ticketId, tag.tag))) setDraft('');
  };

  return (
    <div className="tags">
      <ul className="tag-list" aria-label="Tags">
        {tags.map((tag) => (
          <li key={tag} className="tag">
            <span>{tag}</span>
            <button
              type="button"
              className="tag-remove"
              aria-label={`Remove tag ${tag}`}
              onClick={() => void removeTag(ticketId, tag)}
            >
              ×
            </button>
          </li>
        ))}
      </ul>
      <input
        id={FOCUS_IDS.tag}
        type="text"
        className="tag-input"
        aria-label="Add tag"
        aria-describedby={error ? 'tag-error' : undefined}
        placeholder="Add tag…"
        value={draft}
        onChange={(e) => setDraft(e.target.value)}
        onKeyDown={(e) => void onKeyDown(e)}
        autoComplete="off"
        spellCheck={false}
      />
      {error && (
        <p id="tag-error" role="alert" className="error inline">
          {error}
        </p>
      )}
    </div>
  );
}
