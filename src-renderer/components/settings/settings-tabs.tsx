import type { KeyboardEvent } from 'react';
import { selectSettingsTab } from '../../actions/settings-actions';
import {
  panelId,
  SETTINGS_TAB_LABELS,
  SETTINGS_TABS,
  tabAfterKey,
  tabId,
} from '../../lib/settings-tabs';
import { useApp } from '../../state/store';
import { goToTab } from '../settings-navigation';

/** The sections as ARIA tabs: one tab stop, the arrows (and Home, End) move and select. */
export function SettingsTabs() {
  const current = useApp((s) => s.settingsTab);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const next = tabAfterKey(current, event.key);
    if (!next) return;
    event.preventDefault();
    goToTab(next);
  };

  return (
    <div
      role="tablist"
      aria-label="Settings sections"
      className="settings-tabs"
      onKeyDown={onKeyDown}
    >
      {SETTINGS_TABS.map((tab, index) => {
        const selected = tab === current;
        return (
          <button
            key={tab}
            id={tabId(tab)}
            type="button"
            role="tab"
            aria-selected={selected}
            // Only the open section's panel exists.
            aria-controls={selected ? panelId(tab) : undefined}
            aria-keyshortcuts={`Alt+${index + 1}`}
            tabIndex={selected ? 0 : -1}
            onClick={() => selectSettingsTab(tab)}
          >
            {SETTINGS_TAB_LABELS[tab]}
          </button>
        );
      })}
    </div>
  );
}
