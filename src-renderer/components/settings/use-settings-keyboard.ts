import { cycleTheme } from '../../actions/device-actions';
import { loadLogins } from '../../actions/settings-actions';
import { settingsKeyAction } from '../../lib/settings-keymap';
import { appStore } from '../../state/store';
import { backToTickets, goToTab } from '../settings-navigation';
import { useDocumentKeys } from '../use-document-keys';

/** The settings screen's keyboard map (lib/settings-keymap.ts) on the whole document. */
export function useSettingsKeyboard(showShortcuts: () => void): void {
  useDocumentKeys((press, event) => {
    const action = settingsKeyAction(press, appStore.getState().settingsTab);
    if (!action) return;
    event.preventDefault();
    switch (action.type) {
      case 'back':
        return backToTickets();
      case 'leave-field':
        if (event.target instanceof HTMLElement) event.target.blur();
        return;
      case 'tab':
        return goToTab(action.tab);
      case 'refresh':
        void loadLogins();
        return;
      case 'shortcuts':
        return showShortcuts();
      case 'cycle-theme':
        void cycleTheme();
        return;
    }
  });
}
