/** The sections of the settings screen, in tab order (Alt+1..9 follows it). */
export const SETTINGS_TABS = [
  'profile',
  'company',
  'preferences',
  'security',
  'logins',
  'privacy',
  'local-data',
  'theme-notifications',
  'updates',
] as const;
export type SettingsTab = (typeof SETTINGS_TABS)[number];

export const SETTINGS_TAB_LABELS: Record<SettingsTab, string> = {
  profile: 'Profile',
  company: 'Company',
  preferences: 'Preferences',
  security: 'Security',
  logins: 'Log-ins',
  privacy: 'Privacy',
  'local-data': 'Local data & diagnostics',
  'theme-notifications': 'Theme & notifications',
  updates: 'Updates',
};

/** The element ids of a tab and its panel (aria-controls, aria-labelledby, focus). */
export const tabId = (tab: SettingsTab) => `settings-tab-${tab}`;
export const panelId = (tab: SettingsTab) => `settings-panel-${tab}`;

/** Where an arrow key, Home or End moves from `tab` in the tab list (wrapping), or null. */
export function tabAfterKey(tab: SettingsTab, key: string): SettingsTab | null {
  const at = SETTINGS_TABS.indexOf(tab);
  const last = SETTINGS_TABS.length - 1;
  const moves: Record<string, number> = {
    ArrowRight: at === last ? 0 : at + 1,
    ArrowDown: at === last ? 0 : at + 1,
    ArrowLeft: at === 0 ? last : at - 1,
    ArrowUp: at === 0 ? last : at - 1,
    Home: 0,
    End: last,
  };
  const index = moves[key];
  return index === undefined ? null : SETTINGS_TABS[index]!;
}
