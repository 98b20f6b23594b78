import type { MessageBoxOptions } from 'electron';

/**
 * The crash dialog, as pure decisions: what it says for each way the app can stop, what its
 * buttons do, and which dialog wins when crashes come together. fatal-error.ts does the showing.
 */

/** An error the main process cannot go on after, the window's renderer ending, or hanging. */
export type CrashKind = 'main-error' | 'window-gone' | 'window-unresponsive';
export type CrashChoice = 'restart' | 'quit' | 'wait';

export interface CrashPrompt {
  kind: CrashKind;
  options: MessageBoxOptions;
  /** The choice of each button, by index. */
  choices: readonly CrashChoice[];
}

const SAVED =
  'Your pending changes are saved on this computer; they are sent when Help Desk syncs again.';

const MESSAGES: Record<CrashKind, { title: string; message: string }> = {
  'main-error': {
    title: 'Help Desk stopped unexpectedly',
    message: 'Help Desk stopped unexpectedly and has to restart.',
  },
  'window-gone': {
    title: 'Help Desk stopped unexpectedly',
    message: 'The Help Desk window stopped unexpectedly.',
  },
  'window-unresponsive': {
    title: 'Help Desk is not responding',
    message: 'The Help Desk window is not responding.',
  },
};

/** What the person reads and can press: what happened and what it means for their work. */
export function crashPrompt(kind: CrashKind, logFile: string): CrashPrompt {
  const { title, message } = MESSAGES[kind];
  const choices: CrashChoice[] =
    kind === 'window-unresponsive' ? ['wait', 'restart', 'quit'] : ['restart', 'quit'];
  return {
    kind,
    choices,
    options: {
      type: kind === 'window-unresponsive' ? 'warning' : 'error',
      title,
      message,
      detail: `${SAVED}\n\nDetails were written to the diagnostics log: ${logFile}`,
      buttons: choices.map((choice) => BUTTONS[choice]),
      // Enter and Esc both keep the person working: restart, or wait on a hang.
      defaultId: 0,
      cancelId: 0,
      noLink: true,
    },
  };
}

const BUTTONS: Record<CrashChoice, string> = {
  wait: 'Keep waiting',
  restart: 'Restart',
  quit: 'Quit',
};

/** The choice of the button pressed (anything unexpected: the first, which keeps working). */
export function crashChoice(prompt: CrashPrompt, response: number): CrashChoice {
  return prompt.choices[response] ?? prompt.choices[0]!;
}

const SEVERITY: Record<CrashKind, number> = {
  'window-unresponsive': 1,
  'window-gone': 2,
  'main-error': 3,
};

/**
 * One crash dialog at a time: a new crash shows its dialog when none is up, replaces a milder
 * one (a hang that became a crash), and is otherwise only logged, so a crash repeating in a loop
 * does not bury the screen in dialogs.
 */
export function crashDialogFor(
  open: CrashKind | null,
  kind: CrashKind,
): 'show' | 'replace' | 'log' {
  if (open === null) return 'show';
  return SEVERITY[kind] > SEVERITY[open] ? 'replace' : 'log';
}

/**
 * How the app ends for a restart or a quit. After a window crash the main process is sound: it
 * quits the usual way, closing the replica. After an error in the main process, or with a window
 * that hangs (it would hold up closing), it exits at once: every change is already a committed
 * transaction in the replica.
 */
export const endingFor = (kind: CrashKind): 'quit' | 'exit' =>
  kind === 'window-gone' ? 'quit' : 'exit';
