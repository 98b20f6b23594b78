import { useRef } from 'react';
import { keyAction } from '../lib/keymap';
import { runAction } from './run-action';
import { useDocumentKeys } from './use-document-keys';

/** Keys that act on a focused control themselves (Enter on a button presses it). */
const CONTROL = 'button, a[href], summary, select, [role="option"]';

/** The workspace's keyboard map (lib/keymap.ts) on the whole document. */
export function useKeyboard(showShortcuts: () => void): void {
  const awaitingView = useRef(false);
  useDocumentKeys((press, event) => {
    const action = keyAction(press, awaitingView.current);
    awaitingView.current = action?.type === 'await-view';
    if (!action) return;
    const target = event.target instanceof HTMLElement ? event.target : null;
    if (action.type === 'open' && target?.closest(CONTROL)) return;
    event.preventDefault();
    runAction(action, showShortcuts);
  });
}
