import { appStore } from '../state/store';

/**
 * The toast after a triage action: what was done, with Undo, for a few seconds. It stays while the
 * keyboard or the pointer is on it (its Undo must not vanish under the agent's hand).
 */

export const TOAST_MS = 8000;

let lastId = 0;
let timer: ReturnType<typeof setTimeout> | null = null;

function stopTimer(): void {
  if (timer !== null) clearTimeout(timer);
  timer = null;
}

function startTimer(id: number): void {
  stopTimer();
  timer = setTimeout(() => {
    timer = null;
    if (appStore.getState().toast?.id === id) appStore.setState({ toast: null });
  }, TOAST_MS);
}

/** Shows `text`; its Undo takes back the action's `changes` queued changes. */
export function showToast(text: string, changes: number): void {
  const id = ++lastId;
  appStore.setState({ toast: { id, text, changes } });
  startTimer(id);
}

/** The agent is on the toast (true) or has left it (false). */
export function holdToast(held: boolean): void {
  const toast = appStore.getState().toast;
  if (held) stopTimer();
  else if (toast) startTimer(toast.id);
}

export function dismissToast(): void {
  stopTimer();
  appStore.setState({ toast: null });
}
