import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, type KeyboardEvent } from 'react';
import {
  moveSelection,
  registerScroller,
  selectIndex,
  selectRow,
  setVisibleRange,
} from '../actions/list-actions';
import { toggleChecked } from '../actions/selection-actions';
import { formatCount } from '../lib/format';
import { listTitle } from '../lib/list-source';
import { useApp } from '../state/store';
import { FOCUS_IDS } from './focus';
import { OlderTickets } from './older-tickets';
import { SortSelect } from './sort-select';
import { ROW_HEIGHT, rowId, TicketRow } from './ticket-row';
import { useNow } from './use-now';

/** The virtualised ticket list: only the rows on screen exist, whatever the total. */
export function TicketList() {
  const cache = useApp((s) => s.cache);
  useApp((s) => s.cacheVersion); // the cache changes in place: re-render when it does
  const selectedId = useApp((s) => s.selectedId);
  const source = useApp((s) => s.source);
  const listError = useApp((s) => s.listError);
  const savedViews = useApp((s) => s.savedViews);
  const checked = useApp((s) => s.checked);
  const now = useNow();
  const total = cache.total ?? 0;
  const scroller = useRef<HTMLDivElement>(null);

  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items.at(-1)?.index ?? 0;

  useEffect(() => setVisibleRange(first, last), [first, last]);
  useEffect(() => {
    registerScroller((index) => virtualizer.scrollToIndex(index, { align: 'auto' }));
    return () => registerScroller(null);
  }, [virtualizer]);

  const selectedIndex = selectedId === null ? -1 : cache.indexOf(selectedId);
  const activeRendered = items.some((item) => item.index === selectedIndex);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const moves: Record<string, () => void> = {
      ArrowDown: () => moveSelection(1),
      ArrowUp: () => moveSelection(-1),
      Home: () => selectIndex(0),
      End: () => selectIndex(total - 1),
    };
    const move = moves[event.key];
    if (!move) return;
    event.preventDefault();
    move();
  };

  const checkedIds = new Set(checked.map((t) => t.id));
  return (
    <section className="list-column" aria-labelledby="list-title">
      <div className="list-header">
        <h1 id="list-title">{listTitle(source, savedViews)}</h1>
        <span className="list-total">
          {cache.total === null
            ? ''
            : `${formatCount(total)} ${total === 1 ? 'ticket' : 'tickets'}`}
        </span>
        <SortSelect />
      </div>
      {listError && (
        <p role="alert" className="error inline">
          {listError}
        </p>
      )}
      <div
        ref={scroller}
        id={FOCUS_IDS.list}
        className="list-scroll"
        role="listbox"
        aria-label="Tickets"
        tabIndex={0}
        aria-activedescendant={activeRendered && selectedId ? rowId(selectedId) : undefined}
        onKeyDown={onKeyDown}
      >
        <div
          role="presentation"
          className="list-sizer"
          style={{ height: virtualizer.getTotalSize() }}
        >
          {items.map((item) => {
            const ticket = cache.rowAt(item.index);
            return (
              <TicketRow
                key={item.index}
                ticket={ticket}
                index={item.index}
                selected={ticket !== undefined && ticket.id === selectedId}
                checked={checked.length === 0 ? undefined : checkedIds.has(ticket?.id ?? '')}
                now={now}
                style={{ height: item.size, transform: `translateY(${item.start}px)` }}
                onSelect={selectRow}
                onToggle={toggleChecked}
              />
            );
          })}
        </div>
      </div>
      {cache.total === 0 && (
        <p className="empty">
          {source.kind === 'search' ? 'No ticket matches this search.' : 'No tickets here.'}
        </p>
      )}
      {source.kind === 'search' && <OlderTickets text={source.text} />}
    </section>
  );
}
