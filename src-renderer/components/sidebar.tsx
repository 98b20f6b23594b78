import { selectView } from '../actions/list-actions';
import { formatCount } from '../lib/format';
import { VIEW_IDS, VIEWS } from '../lib/views';
import { useApp } from '../state/store';

export function Sidebar() {
  const current = useApp((s) => (s.source.kind === 'view' ? s.view : null));
  const counts = useApp((s) => s.counts);
  return (
    <nav aria-label="Views" className="sidebar">
      <ul>
        {VIEW_IDS.map((id) => {
          const count = counts[id];
          const label = VIEWS[id].label;
          return (
            <li key={id}>
              <button
                type="button"
                className="view-button"
                aria-current={current === id ? 'page' : undefined}
                // The count is part of the name ("All open 212"), with the space a flex row drops.
                aria-label={count === undefined ? label : `${label} ${count}`}
                onClick={() => selectView(id)}
              >
                <span>{label}</span>
                <span className="count">{count === undefined ? '' : formatCount(count)}</span>
              </button>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
