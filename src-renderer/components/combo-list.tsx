import { useState, type KeyboardEvent, type ReactNode } from 'react';

export interface ComboOption {
  key: string;
  content: ReactNode;
}

interface Props {
  /** Element ids start with it (two lists never share a page: they are in modal dialogs). */
  id: string;
  inputLabel: string;
  listLabel: string;
  placeholder: string;
  query: string;
  onQuery: (query: string) => void;
  options: readonly ComboOption[];
  onPick: (index: number) => void;
  /** Said when nothing matches. */
  empty: string;
}

/**
 * A text box that filters a list below it (the ARIA combobox pattern, list always shown): the
 * arrows move through the options while typing goes on, Enter picks, a click picks.
 */
export function ComboList({
  id,
  inputLabel,
  listLabel,
  placeholder,
  query,
  onQuery,
  options,
  onPick,
  empty,
}: Props) {
  const [chosen, setActive] = useState(0);
  const count = options.length;
  // Answers arriving later may shorten the list under the choice.
  const active = Math.max(0, Math.min(chosen, count - 1));
  const optionId = (index: number) => `${id}-option-${index}`;

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    const moves: Record<string, number> = {
      ArrowDown: active + 1,
      ArrowUp: active - 1,
      PageDown: active + 8,
      PageUp: active - 8,
    };
    if (event.key in moves) {
      event.preventDefault();
      const next = Math.max(0, Math.min(count - 1, moves[event.key]!));
      setActive(next);
      document.getElementById(optionId(next))?.scrollIntoView({ block: 'nearest' });
    } else if (event.key === 'Enter') {
      event.preventDefault();
      if (count > 0) onPick(active);
    }
  };

  return (
    <div className="combo-list">
      <input
        id={`${id}-input`}
        type="text"
        role="combobox"
        aria-label={inputLabel}
        aria-expanded="true"
        aria-controls={`${id}-list`}
        aria-autocomplete="list"
        aria-activedescendant={count > 0 ? optionId(active) : undefined}
        placeholder={placeholder}
        value={query}
        onChange={(e) => {
          // A new query starts again from its best match.
          setActive(0);
          onQuery(e.target.value);
        }}
        onKeyDown={onKeyDown}
        autoComplete="off"
        spellCheck={false}
        autoFocus
      />
      <ul id={`${id}-list`} role="listbox" aria-label={listLabel} className="combo-options">
        {options.map((option, index) => (
          <li
            key={option.key}
            id={optionId(index)}
            role="option"
            aria-selected={index === active}
            className={index === active ? 'combo-option active' : 'combo-option'}
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => onPick(index)}
          >
            {option.content}
          </li>
        ))}
      </ul>
      {count === 0 && <p className="empty">{empty}</p>}
    </div>
  );
}
