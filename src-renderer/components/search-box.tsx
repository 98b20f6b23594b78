import type { KeyboardEvent } from 'react';
import { runSearch, setSearchDraft } from '../actions/list-actions';
import { useApp } from '../state/store';
import { FOCUS_IDS } from './focus';

/** The search box; Esc is the keyboard map's (it empties the box and goes back to the list). */
export function SearchBox() {
  const text = useApp((s) => s.searchDraft);
  const error = useApp((s) => s.searchError);

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    runSearch(text);
  };

  return (
    <div className="search" role="search">
      <input
        id={FOCUS_IDS.search}
        type="search"
        aria-label="Search tickets"
        aria-describedby={error ? 'search-error' : undefined}
        placeholder="Search: words, status:open, tag:vip, assignee:me…"
        value={text}
        onChange={(e) => setSearchDraft(e.target.value)}
        onKeyDown={onKeyDown}
        autoComplete="off"
        spellCheck={false}
      />
      {error && (
        <p id="search-error" role="alert" className="search-error">
          {error}
        </p>
      )}
    </div>
  );
}
