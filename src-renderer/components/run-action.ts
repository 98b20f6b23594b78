import { cycleTheme } from '../actions/device-actions';
import { startAddingAccount, switchToAccountAt } from '../actions/accounts-actions';
import { openDialog } from '../actions/dialog-actions';
import {
  clearSearch,
  moveSelection,
  openNextAttention,
  openNextHeld,
  selectSavedView,
  selectViewAt,
  setSort,
} from '../actions/list-actions';
import { resolveAttention, resolveHeldReply, undo } from '../actions/mutations';
import { setNotificationsOpen } from '../actions/notification-actions';
import { clearChecked, extendSelection, toggleCurrent } from '../actions/selection-actions';
import { checkForUpdates } from '../actions/update-actions';
import { editHeldReply, setComposePublic } from '../actions/ticket-actions';
import type { KeyAction } from '../lib/keymap';
import { appStore } from '../state/store';
import { BULK_FOCUS_IDS, focusElement, focusWhenReady, FOCUS_IDS } from './focus';
import { showSettings } from './settings-navigation';

/**
 * Runs a workspace action, whether a key or the command palette asked for it. Actions on "the
 * ticket" act on the open one; with a bulk selection, s / p / a / t go to the bulk bar.
 */
export function runAction(action: KeyAction, showShortcuts: () => void): void {
  const state = appStore.getState();
  const held = state.detail?.heldReplies[0];
  const attention = state.detail?.needsAttention[0] ?? state.orphanAttention[0];
  const say = (notice: string) => appStore.setState({ notice });
  switch (action.type) {
    case 'next':
      return moveSelection(1);
    case 'previous':
      return moveSelection(-1);
    case 'open':
      if (state.openId) focusElement(FOCUS_IDS.pane);
      return;
    case 'escape':
      if (state.source.kind === 'search' || state.searchDraft !== '') clearSearch();
      focusElement(FOCUS_IDS.list);
      return;
    case 'search':
      focusElement(FOCUS_IDS.search);
      return;
    case 'focus': {
      const { target } = action;
      if (target === 'attachments' && !state.detail?.attachments.length)
        return say('This ticket has no attachments.');
      const bulk = state.checked.length > 0 && target in BULK_FOCUS_IDS;
      focusWhenReady(
        bulk ? BULK_FOCUS_IDS[target as keyof typeof BULK_FOCUS_IDS] : FOCUS_IDS[target],
      );
      return;
    }
    case 'compose':
      setComposePublic(action.public);
      focusWhenReady(FOCUS_IDS.comment);
      return;
    case 'undo':
      void undo();
      return;
    case 'view':
      return selectViewAt(action.index);
    case 'saved-view':
      return selectSavedView(action.id);
    case 'sort':
      setSort(action.sort);
      focusElement(FOCUS_IDS.list);
      return;
    case 'shortcuts':
      return showShortcuts();
    case 'settings':
      return showSettings();
    case 'palette':
      return openDialog('palette');
    case 'new-ticket':
      return openDialog('new-ticket');
    case 'save-view':
      return openDialog('save-view');
    case 'macro':
      if (state.openId === null) return say('Open a ticket to apply a macro to it.');
      return openDialog('macro');
    case 'check':
      return toggleCurrent();
    case 'extend':
      return extendSelection(action.delta);
    case 'uncheck-all':
      return clearChecked();
    case 'next-held':
      void openNextHeld();
      return;
    case 'next-attention':
      void openNextAttention();
      return;
    case 'held':
      if (!held) return say('No reply of this ticket is held.');
      if (action.action === 'edit') {
        editHeldReply(held.id);
        focusWhenReady(FOCUS_IDS.heldEdit);
        return;
      }
      void resolveHeldReply({ id: held.id, action: action.action }).then(
        (problem) => problem && say(problem),
      );
      return;
    case 'keep':
      if (!attention) return say('Nothing of this ticket needs attention.');
      if (attention.kind === 'rejected' && action.choice === 'mine')
        return say('The service refused this change: Shift+T dismisses it.');
      void resolveAttention(attention.id, action.choice);
      return;
    case 'notifications':
      return setNotificationsOpen(!state.notificationsOpen);
    case 'check-updates':
      void checkForUpdates();
      return;
    case 'cycle-theme':
      void cycleTheme();
      return;
    case 'account':
      return switchToAccountAt(action.index);
    case 'add-account':
      return startAddingAccount();
    case 'await-view':
      return;
  }
}
