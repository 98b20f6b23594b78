import { useState, type FormEvent, type KeyboardEvent, type ReactNode } from 'react';
import type { z } from 'zod';
import {
  changedFields,
  changesProblem,
  shownValue,
  type Edits,
  type FieldSpec,
  type FieldValue,
} from '../../lib/record-form';
import { ErrorAlert } from '../error-alert';
import { FieldState } from './field-state';

export type Changes<K extends string> = Partial<Record<K, FieldValue>>;

interface Props<K extends string> {
  /** The form's accessible name: "Profile". */
  label: string;
  idPrefix: string;
  specs: readonly FieldSpec<K>[];
  record: { current: Readonly<Partial<Record<K, unknown>>>; pendingFields: readonly string[] };
  /** The mutation's args schema, `{fields}`: the form checks the changes with it first. */
  schema: z.ZodType;
  /** Sends one mutation with the changed fields; answers the error to show, or null. */
  save: (changes: Changes<K>) => Promise<string | null>;
  saveLabel: string;
  /** Rows shown before the editable ones (the profile's email). */
  children?: ReactNode;
}

/**
 * An editable record of "My Company Settings": a box per field with its state (Pending until the
 * service confirms it), a Remove button for each optional field, and one save that sends only
 * the fields that changed. A box shows the record's value until it is edited, so a sync that
 * lands meanwhile shows in the other fields.
 */
export function RecordForm<K extends string>(props: Props<K>) {
  const { label, idPrefix, specs, record, schema, save, saveLabel, children } = props;
  const [edits, setEdits] = useState<Edits<K>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState('');
  const [busy, setBusy] = useState(false);

  const commit = async (changes: Changes<K>, keys: readonly K[]) => {
    setBusy(true);
    const error = await save(changes);
    setBusy(false);
    setProblem(error);
    setDone(error ? '' : 'Saved. Each field shows Pending until the service confirms it.');
    if (!error)
      setEdits((before) => {
        const after = { ...before };
        for (const key of keys) delete after[key];
        return after;
      });
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    const changes = changedFields(specs, record.current, edits);
    const keys = Object.keys(changes) as K[];
    if (keys.length === 0) {
      setProblem(null);
      setDone('Nothing has changed.');
      return;
    }
    const invalid = changesProblem(schema, specs, changes);
    setProblem(invalid);
    if (invalid) setDone('');
    else await commit(changes, Object.keys(edits) as K[]);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLFormElement>) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      event.currentTarget.requestSubmit();
    }
  };

  return (
    <form
      aria-label={label}
      className="record-form"
      onSubmit={(e) => void submit(e)}
      onKeyDown={onKeyDown}
      noValidate
    >
      {children}
      {specs.map((spec) => {
        const id = `${idPrefix}-${spec.key}`;
        const current = record.current[spec.key];
        return (
          <div key={spec.key} className="record-row">
            <label htmlFor={id}>{spec.label}</label>
            <input
              id={id}
              type={spec.type}
              value={edits[spec.key] ?? shownValue(current)}
              onChange={(e) => setEdits((before) => ({ ...before, [spec.key]: e.target.value }))}
              autoComplete={spec.autoComplete}
              aria-describedby={`${id}-state`}
              {...(spec.type === 'number' ? { min: 1, step: 1, inputMode: 'numeric' } : {})}
            />
            <FieldState
              id={`${id}-state`}
              label={spec.label}
              pending={record.pendingFields.includes(spec.key)}
            />
            {spec.optional && (
              <button
                type="button"
                className="small"
                disabled={busy || current === null}
                onClick={() => void commit({ [spec.key]: null } as Changes<K>, [spec.key])}
              >
                Remove {spec.label}
              </button>
            )}
          </div>
        );
      })}
      <ErrorAlert message={problem} />
      <p role="status" className="hint">
        {done}
      </p>
      <div className="form-actions">
        <button type="submit" className="primary" disabled={busy}>
          {saveLabel}
        </button>
      </div>
    </form>
  );
}
