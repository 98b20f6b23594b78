import { useState, type ComponentType } from 'react';
import { AppFrame } from '../components/app-frame';
import { CompanyTab } from '../components/settings/company-tab';
import { LocalDataTab } from '../components/settings/local-data-tab';
import { LoginsTab } from '../components/settings/logins-tab';
import { PreferencesTab } from '../components/settings/preferences-tab';
import { PrivacyTab } from '../components/settings/privacy-tab';
import { ProfileTab } from '../components/settings/profile-tab';
import { SecurityTab } from '../components/settings/security-tab';
import { SettingsTabs } from '../components/settings/settings-tabs';
import { ThemeNotificationsTab } from '../components/settings/theme-notifications-tab';
import { UpdatesTab } from '../components/settings/updates-tab';
import { useSettingsKeyboard } from '../components/settings/use-settings-keyboard';
import { backToTickets } from '../components/settings-navigation';
import { panelId, tabId, type SettingsTab } from '../lib/settings-tabs';
import { useApp } from '../state/store';

const PANELS: Record<SettingsTab, ComponentType> = {
  profile: ProfileTab,
  company: CompanyTab,
  preferences: PreferencesTab,
  security: SecurityTab,
  logins: LoginsTab,
  privacy: PrivacyTab,
  'local-data': LocalDataTab,
  'theme-notifications': ThemeNotificationsTab,
  updates: UpdatesTab,
};

/** "My Company Settings" and privacy, in sections; the status bar stays in sight. */
export function SettingsScreen() {
  const tab = useApp((s) => s.settingsTab);
  const [shortcuts, setShortcuts] = useState(false);
  useSettingsKeyboard(() => setShortcuts(true));
  const Panel = PANELS[tab];

  return (
    <AppFrame
      topStart={
        <button type="button" className="small" aria-keyshortcuts="Escape" onClick={backToTickets}>
          Back to tickets
        </button>
      }
      shortcutsOpen={shortcuts}
      setShortcutsOpen={setShortcuts}
    >
      <main className="settings" aria-labelledby="settings-title">
        <div className="settings-inner">
          <h1 id="settings-title">Settings</h1>
          <SettingsTabs />
          <div
            key={tab}
            role="tabpanel"
            id={panelId(tab)}
            aria-labelledby={tabId(tab)}
            className="settings-panel"
          >
            <Panel />
          </div>
        </div>
      </main>
    </AppFrame>
  );
}
