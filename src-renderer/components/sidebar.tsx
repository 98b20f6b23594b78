import { openDialog } from '../actions/dialog-actions';
import { selectSavedView, selectView } from '../actions/list-actions';
import { deleteSavedView } from '../actions/view-actions';
import { formatCount } from '../lib/format';
import { VIEW_IDS, VIEWS } from '../lib/views';
import { useApp } from '../state/store';
import { AccountSwitcher } from './account-switcher';
import { KeyButton } from './key-button';

function ViewButton(props: {
  label: string;
  count: number | undefined;
  current: boolean;
  onClick: () => void;
}) {
  const { label, count, current, onClick } = props;
  return (
    <button
      type="button"
      className="view-button"
      aria-current={current ? 'page' : undefined}
      // The count is part of the name ("All open 212"), with the space a flex row drops.
      aria-label={count === undefined ? label : `${label} ${count}`}
      onClick={onClick}
    >
      <span>{label}</span>
      <span className="count">{count === undefined ? '' : formatCount(count)}</span>
    </button>
  );
}

/**
 * The accounts, then the views with their counts, then the agent's saved views (each count kept
 * up to date).
 */
export function Sidebar() {
  const source = useApp((s) => s.source);
  const counts = useApp((s) => s.counts);
  const savedViews = useApp((s) => s.savedViews);
  return (
    <div className="sidebar">
      <AccountSwitcher />
      <nav aria-label="Views">
        <ul>
          {VIEW_IDS.map((id) => (
            <li key={id}>
              <ViewButton
                label={VIEWS[id].label}
                count={counts[id]}
                current={source.kind === 'view' && source.view === id}
                onClick={() => selectView(id)}
              />
            </li>
          ))}
        </ul>
        <h2 id="saved-views-title" className="sidebar-heading">
          Saved views
        </h2>
        {savedViews.length > 0 && (
          <ul aria-labelledby="saved-views-title">
            {savedViews.map((view) => (
              <li key={view.id} className="saved-view">
                <ViewButton
                  label={view.name}
                  count={view.count}
                  current={source.kind === 'saved' && source.id === view.id}
                  onClick={() => selectSavedView(view.id)}
                />
                <button
                  type="button"
                  className="view-delete"
                  aria-label={`Delete view ${view.name}`}
                  onClick={() => void deleteSavedView(view.id)}
                >
                  ×
                </button>
              </li>
            ))}
          </ul>
        )}
        <KeyButton
          className="save-view"
          keyshortcuts="v"
          shown="v"
          onClick={() => openDialog('save-view')}
        >
          Save a search as a view
        </KeyButton>
      </nav>
    </div>
  );
}
