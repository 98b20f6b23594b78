import { useEffect, useRef } from 'react';
import { clearSearch, moveSelection, selectViewAt } from '../actions/list-actions';
import { undo } from '../actions/mutations';
import { setComposePublic } from '../actions/ticket-actions';
import { isTypingTarget, keyAction, type KeyAction } from '../lib/keymap';
import { appStore } from '../state/store';
import { focusElement, focusWhenReady, FOCUS_IDS } from './focus';

/** Keys that act on a focused control themselves (Enter on a button presses it). */
const CONTROL = 'button, a[href], summary, select, [role="option"]';

function run(action: KeyAction, showShortcuts: () => void): void {
  switch (action.type) {
    case 'next':
      return moveSelection(1);
    case 'previous':
      return moveSelection(-1);
    case 'open':
      if (appStore.getState().openId) focusElement(FOCUS_IDS.pane);
      return;
    case 'escape': {
      const { source, searchDraft } = appStore.getState();
      if (source.kind === 'search' || searchDraft !== '') clearSearch();
      focusElement(FOCUS_IDS.list);
      return;
    }
    case 'search':
      focusElement(FOCUS_IDS.search);
      return;
    case 'focus':
      focusWhenReady(FOCUS_IDS[action.target]);
      return;
    case 'compose':
      setComposePublic(action.public);
      focusWhenReady(FOCUS_IDS.comment);
      return;
    case 'undo':
      void undo();
      return;
    case 'view':
      return selectViewAt(action.index);
    case 'shortcuts':
      return showShortcuts();
    case 'await-view':
      return;
  }
}

/** The workspace's keyboard map (lib/keymap.ts) on the whole document. */
export function useKeyboard(showShortcuts: () => void): void {
  const awaitingView = useRef(false);
  const show = useRef(showShortcuts);
  show.current = showShortcuts;

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      // A modal dialog handles its own keys (Esc closes it).
      if (event.defaultPrevented || document.querySelector('dialog[open]')) return;
      const target = event.target instanceof HTMLElement ? event.target : null;
      const action = keyAction(
        {
          key: event.key,
          ctrlKey: event.ctrlKey,
          metaKey: event.metaKey,
          altKey: event.altKey,
          inField: target !== null && isTypingTarget(target),
        },
        awaitingView.current,
      );
      awaitingView.current = action?.type === 'await-view';
      if (!action) return;
      if (action.type === 'open' && target?.closest(CONTROL)) return;
      event.preventDefault();
      run(action, show.current);
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, []);
}
