import { useState } from 'react';
import { setCommunicationPreferences } from '../../actions/mutations';
import { PREFERENCE_FIELDS } from '../../lib/account-fields';
import { useApp } from '../../state/store';
import { ErrorAlert } from '../error-alert';
import { AccountRecord } from './account-record';
import { FieldState } from './field-state';
import { OfflineHint } from './offline-hint';

/** Communication preferences: each change is saved at once (offline too) and recorded with its time. */
export function PreferencesTab() {
  const preferences = useApp((s) => s.preferences);
  const [error, setError] = useState<string | null>(null);

  return (
    <>
      <h2>Preferences</h2>
      <p className="hint">
        What the service may send you by email. Each change is saved at once and kept with its time.
      </p>
      <OfflineHint />
      <AccountRecord record={preferences} what="Your preferences">
        {({ current, pendingFields }) => (
          <fieldset className="preferences">
            <legend>Email from us</legend>
            {PREFERENCE_FIELDS.map(({ key, label, hint }) => {
              const id = `preferences-${key}`;
              const change = async (on: boolean) =>
                setError(
                  await setCommunicationPreferences({
                    newsletter: current.newsletter,
                    productUpdates: current.productUpdates,
                    [key]: on,
                  }),
                );
              return (
                <div key={key} className="check-row">
                  <input
                    id={id}
                    type="checkbox"
                    checked={current[key]}
                    onChange={(e) => void change(e.target.checked)}
                    aria-describedby={`${id}-hint ${id}-state`}
                  />
                  <label htmlFor={id}>{label}</label>
                  <FieldState
                    id={`${id}-state`}
                    label={label}
                    pending={pendingFields.includes(key)}
                  />
                  <p id={`${id}-hint`} className="hint">
                    {hint}
                  </p>
                </div>
              );
            })}
          </fieldset>
        )}
      </AccountRecord>
      <ErrorAlert message={error} />
    </>
  );
}
