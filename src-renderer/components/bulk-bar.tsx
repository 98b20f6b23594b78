import { useState, type FormEvent, type KeyboardEvent } from 'react';
import {
  TICKET_PRIORITIES,
  TICKET_STATUSES,
  type TicketPriority,
  type TicketStatus,
} from '../../src-shared/domain/enums';
import { changeSelected } from '../actions/mutations';
import { clearChecked } from '../actions/selection-actions';
import { PRIORITY_LABELS, STATUS_LABELS } from '../lib/format';
import { parseTag } from '../lib/tag-input';
import { ticketLabel, ticketsCount, type TriageChange } from '../lib/triage-text';
import { useApp } from '../state/store';
import { BULK_FOCUS_IDS } from './focus';

const NO_CHANGE = '';
const UNASSIGNED = 'none';

/** The form's choices as triage changes; a bad tag is named in words instead. */
function changesOf(form: {
  status: string;
  priority: string;
  assignee: string;
  addTag: string;
  removeTag: string;
}): TriageChange[] | string {
  const fields: Extract<TriageChange, { kind: 'fields' }>['fields'] = {};
  if (form.status !== NO_CHANGE) fields.status = form.status as TicketStatus;
  if (form.priority !== NO_CHANGE) fields.priority = form.priority as TicketPriority;
  if (form.assignee !== NO_CHANGE)
    fields.assigneeId = form.assignee === UNASSIGNED ? null : form.assignee;
  const changes: TriageChange[] =
    Object.keys(fields).length > 0 ? [{ kind: 'fields', fields }] : [];
  for (const [kind, text] of [
    ['add-tag', form.addTag],
    ['remove-tag', form.removeTag],
  ] as const) {
    if (text.trim() === '') continue;
    const tag = parseTag(text);
    if (!tag.ok) return tag.message;
    changes.push({ kind, tag: tag.tag });
  }
  return changes;
}

const EMPTY = {
  status: NO_CHANGE,
  priority: NO_CHANGE,
  assignee: NO_CHANGE,
  addTag: '',
  removeTag: '',
};

/**
 * Shown while tickets are selected (x, Shift+J/K): status, priority, assignee and tags for all of
 * them at once, applied with Enter or the button; each refused ticket is then named with why.
 */
export function BulkBar() {
  const checked = useApp((s) => s.checked);
  const users = useApp((s) => s.users);
  const report = useApp((s) => s.bulkReport);
  const [form, setForm] = useState(EMPTY);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (checked.length === 0) return null;

  const set = (key: keyof typeof EMPTY) => (value: string) => setForm({ ...form, [key]: value });
  const apply = async () => {
    const changes = changesOf(form);
    setProblem(typeof changes === 'string' ? changes : null);
    if (typeof changes === 'string' || changes.length === 0 || busy) return;
    setBusy(true);
    await changeSelected(changes);
    setBusy(false);
    setForm(EMPTY);
  };
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void apply();
  };
  // Enter on a select applies too: `p`, the arrows, Enter.
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Enter' && event.target instanceof HTMLSelectElement) {
      event.preventDefault();
      void apply();
    }
  };
  const select = (
    key: 'status' | 'priority' | 'assignee',
    label: string,
    options: Array<[value: string, text: string]>,
  ) => (
    <label>
      <span>{label}</span>
      <select id={BULK_FOCUS_IDS[key]} value={form[key]} onChange={(e) => set(key)(e.target.value)}>
        <option value={NO_CHANGE}>No change</option>
        {options.map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </select>
    </label>
  );
  const tagInput = (key: 'addTag' | 'removeTag', label: string, id?: string) => (
    <label>
      <span>{label}</span>
      <input
        id={id}
        type="text"
        value={form[key]}
        onChange={(e) => set(key)(e.target.value)}
        autoComplete="off"
        spellCheck={false}
      />
    </label>
  );

  return (
    <section className="bulk-bar" aria-label="Bulk actions">
      <form onSubmit={onSubmit} onKeyDown={onKeyDown}>
        <p className="bulk-count">{ticketsCount(checked.length)} selected</p>
        {select(
          'status',
          'Status',
          TICKET_STATUSES.map((s) => [s, STATUS_LABELS[s]]),
        )}
        {select(
          'priority',
          'Priority',
          TICKET_PRIORITIES.map((p) => [p, PRIORITY_LABELS[p]]),
        )}
        {select('assignee', 'Assignee', [
          [UNASSIGNED, 'Unassigned'],
          ...users.filter((u) => u.active).map((u): [string, string] => [u.id, u.name]),
        ])}
        {tagInput('addTag', 'Add tag', BULK_FOCUS_IDS.tag)}
        {tagInput('removeTag', 'Remove tag')}
        <div className="bulk-actions">
          <button type="submit" className="primary small" disabled={busy}>
            Apply to {ticketsCount(checked.length)}
          </button>
          <button
            type="button"
            className="small"
            aria-keyshortcuts="Shift+X"
            onClick={clearChecked}
          >
            Clear selection
          </button>
        </div>
      </form>
      {problem && (
        <p role="alert" className="error inline">
          {problem}
        </p>
      )}
      {report && report.failures.length > 0 && (
        <div role="alert" className="bulk-report">
          <p>
            {report.text}. Not changed: {ticketsCount(report.failures.length)}.
          </p>
          <ul aria-label="Tickets not changed">
            {report.failures.map(({ ticket, message }) => (
              <li key={ticket.id}>
                {ticketLabel(ticket.number)} {ticket.subject}: {message}
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
