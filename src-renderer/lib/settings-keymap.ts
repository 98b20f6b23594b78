import type { PhysicalKeyPress } from './keymap';
import { SETTINGS_TAB_LABELS, SETTINGS_TABS, type SettingsTab } from './settings-tabs';

/** The settings screen's keyboard map, as a pure function of a key press. */

export type SettingsKeyAction =
  | { type: 'back' }
  | { type: 'leave-field' }
  | { type: 'tab'; tab: SettingsTab }
  | { type: 'refresh' }
  | { type: 'shortcuts' }
  | { type: 'cycle-theme' };

/**
 * What a key press does on the settings screen, `tab` being the open section. Esc in a text field
 * first leaves the field (an unsaved edit survives one stray Esc); Alt+1..9 works anywhere, by
 * the physical key (Alt+3 on a Mac types "£", whose `key` is no digit).
 */
export function settingsKeyAction(
  press: PhysicalKeyPress,
  tab: SettingsTab,
): SettingsKeyAction | null {
  if (press.key === 'Escape') return press.inField ? { type: 'leave-field' } : { type: 'back' };
  if (press.altKey && !press.ctrlKey && !press.metaKey) {
    const digit = /^Digit([1-9])$/.exec(press.code)?.[1];
    const target = digit === undefined ? undefined : SETTINGS_TABS[Number(digit) - 1];
    return target ? { type: 'tab', tab: target } : null;
  }
  if (press.inField || press.altKey || press.ctrlKey || press.metaKey) return null;
  if (press.key === '?') return { type: 'shortcuts' };
  if (press.key === 'L') return { type: 'cycle-theme' };
  if (press.key === 'r' && tab === 'logins') return { type: 'refresh' };
  return null;
}

/** The settings screen's shortcuts, as the `?` dialog lists them. */
export const SETTINGS_SHORTCUTS: ReadonlyArray<[keys: string, what: string]> = [
  [
    `Alt+1–${SETTINGS_TABS.length}`,
    `Go to a section: ${SETTINGS_TABS.map((tab) => SETTINGS_TAB_LABELS[tab]).join(', ')}`,
  ],
  ['← / →', 'Previous / next section (on the section tabs)'],
  ['Enter or Ctrl+Enter', 'Save the form you are in'],
  ['r', 'Refresh the log-in history (on Log-ins)'],
  ['Shift+L', 'Switch the theme: System, Light, Dark'],
  ['Esc', 'Leave the field, then back to the tickets'],
];
