import { setSort } from '../actions/list-actions';
import { SORT_IDS, SORTS, type SortId } from '../lib/sorts';
import { useApp } from '../state/store';
import { FOCUS_IDS } from './focus';

/** The list's order: by update, by the SLA clocks (age, the customer's last reply), and more. */
export function SortSelect() {
  const sort = useApp((s) => s.sort);
  return (
    <label className="sort">
      <span>Sort</span>
      <select
        id={FOCUS_IDS.sort}
        value={sort}
        aria-keyshortcuts="o"
        onChange={(e) => setSort(e.target.value as SortId)}
      >
        {SORT_IDS.map((id) => (
          <option key={id} value={id}>
            {SORTS[id].label}
          </option>
        ))}
      </select>
    </label>
  );
}
