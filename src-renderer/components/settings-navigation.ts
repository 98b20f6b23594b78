import { closeSettings, openSettings, selectSettingsTab } from '../actions/settings-actions';
import { tabId, type SettingsTab } from '../lib/settings-tabs';
import { appStore } from '../state/store';
import { focusWhenReady, FOCUS_IDS } from './focus';

/** Moving between the tickets and the settings, with the keyboard focus where work goes on. */

/** Opens the settings with the focus on the open section's tab (the arrows then move on). */
export function showSettings(): void {
  openSettings();
  focusWhenReady(tabId(appStore.getState().settingsTab));
}

export function backToTickets(): void {
  closeSettings();
  focusWhenReady(FOCUS_IDS.list);
}

export function goToTab(tab: SettingsTab): void {
  selectSettingsTab(tab);
  focusWhenReady(tabId(tab));
}
