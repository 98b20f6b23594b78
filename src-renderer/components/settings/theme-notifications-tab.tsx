import { useEffect, useState } from 'react';
import {
  doNotDisturbUntil,
  THEME_LABELS,
  THEMES,
  type DeviceSettingsChange,
  type NotificationChoices,
} from '../../../src-shared/bridge/device-settings';
import { loadDeviceSettings, quietFor, updateDeviceSettings } from '../../actions/device-actions';
import { formatDateTime } from '../../lib/format';
import { useApp } from '../../state/store';
import { ErrorAlert } from '../error-alert';
import { useNow } from '../use-now';

const KIND_LABELS: Record<keyof NotificationChoices['kinds'], string> = {
  assigned: 'A ticket assigned to me',
  'customer-reply': 'A reply from the customer on one of my tickets',
  'needs-attention': 'A change of mine that needs attention (a conflict or a refusal)',
};

/** This computer's theme and which notices come; each change is saved at once. */
export function ThemeNotificationsTab() {
  const settings = useApp((s) => s.deviceSettings);
  const preview = useApp((s) => s.appInfo?.shell === 'preview');
  const now = useNow();
  const [error, setError] = useState<string | null>(null);
  const change = async (choice: DeviceSettingsChange) =>
    setError(await updateDeviceSettings(choice));

  useEffect(() => {
    if (!settings) void loadDeviceSettings();
  }, [settings]);
  if (!settings) return <p className="hint">Loading…</p>;
  const { theme, notifications } = settings;
  const quietUntil = doNotDisturbUntil(notifications, now);

  return (
    <>
      <h2>Theme &amp; notifications</h2>
      <p className="hint">These choices belong to this computer and stay when you sign out.</p>
      <fieldset className="preferences choice-group" aria-describedby="theme-hint">
        <legend>Theme</legend>
        {THEMES.map((value) => (
          <label key={value}>
            <input
              type="radio"
              name="theme"
              checked={theme === value}
              onChange={() => void change({ theme: value })}
            />
            {THEME_LABELS[value]}
          </label>
        ))}
        <p id="theme-hint" className="hint">
          System follows your computer&apos;s light or dark setting. <kbd>Shift+L</kbd> switches the
          theme from anywhere in the app.
        </p>
      </fieldset>
      <fieldset className="preferences">
        <legend>Notify me of</legend>
        {(Object.keys(KIND_LABELS) as Array<keyof typeof KIND_LABELS>).map((kind) => (
          <div key={kind} className="check-row">
            <input
              id={`notify-${kind}`}
              type="checkbox"
              checked={notifications.kinds[kind]}
              onChange={(e) =>
                void change({ notifications: { kinds: { [kind]: e.target.checked } } })
              }
            />
            <label htmlFor={`notify-${kind}`}>{KIND_LABELS[kind]}</label>
          </div>
        ))}
        <p className="hint">
          Notices come into the Notifications list (<kbd>Shift+N</kbd>); a kind turned off does not
          come at all.
        </p>
      </fieldset>
      <fieldset className="preferences">
        <legend>Desktop notifications</legend>
        <div className="check-row">
          <input
            id="notify-desktop"
            type="checkbox"
            checked={notifications.desktop}
            aria-describedby="notify-desktop-hint"
            onChange={(e) => void change({ notifications: { desktop: e.target.checked } })}
          />
          <label htmlFor="notify-desktop">Also show each notice as a desktop notification</label>
          <p id="notify-desktop-hint" className="hint">
            {preview
              ? 'The browser preview shows notices in the app only; the desktop app shows them on the desktop too.'
              : 'Clicking one opens its ticket.'}
          </p>
        </div>
        <p role="status" className="dnd-state">
          {quietUntil
            ? `Do not disturb until ${formatDateTime(quietUntil)}: notices come into the list only.`
            : 'Do not disturb is off.'}
        </p>
        <div className="form-actions">
          <button type="button" onClick={async () => setError(await quietFor(1))}>
            Do not disturb for 1 hour
          </button>
          <button type="button" onClick={async () => setError(await quietFor(8))}>
            Do not disturb for 8 hours
          </button>
          {quietUntil && (
            <button
              type="button"
              onClick={() => void change({ notifications: { quietUntil: null } })}
            >
              Turn do not disturb off
            </button>
          )}
        </div>
      </fieldset>
      <ErrorAlert message={error} />
    </>
  );
}
