import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { App, Dialog, RenderProcessGoneDetails, WebContents } from 'electron';
import { redactText } from '../core/diagnostics/redact';

export type FatalKind = 'uncaught-exception' | 'unhandled-rejection' | 'render-process-gone';

const SAVED = 'Your changes are saved on this computer and are sent when Help Desk syncs again.';

/** What the person reads: what happened and what it means for their work; never a stack. */
export function fatalErrorDialog(
  kind: FatalKind,
  logFile: string,
): { title: string; content: string } {
  const details = `Details were written to ${logFile}.`;
  switch (kind) {
    case 'uncaught-exception':
      return {
        title: 'Help Desk has to close',
        content: `An unexpected error stopped Help Desk. ${SAVED} ${details}`,
      };
    case 'unhandled-rejection':
      return {
        title: 'Something went wrong',
        content: `An unexpected error occurred; Help Desk keeps running. ${SAVED} ${details}`,
      };
    case 'render-process-gone':
      return {
        title: 'The Help Desk window stopped',
        content: `The window stopped unexpectedly and is reloaded. ${SAVED} ${details}`,
      };
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return String(error);
}

export interface FatalErrorOptions {
  process: Pick<NodeJS.Process, 'on'>;
  dialog: Pick<Dialog, 'showErrorBox'>;
  app: Pick<App, 'quit'>;
  /** userData/logs/main.log */
  logFile: string;
  clock?: () => Date;
}

export interface FatalErrors {
  /** An error the app cannot go on after (as an uncaught exception): logged, told, then quit. */
  fail(error: unknown): void;
  /** Reloads the window after its renderer crashed (a clean exit is not a crash). */
  watch(webContents: Pick<WebContents, 'on' | 'reload'>): void;
}

/**
 * Uncaught exceptions and unhandled rejections of the main process, and renderer crashes: logged
 * in full to the log file, told to the person in a dialog. After an uncaught exception the
 * process's state is unknown, so the app quits (its quit handler closes the replica cleanly).
 * Each dialog is shown once: an error repeating in a loop must not bury the screen in dialogs.
 */
export function installFatalErrorHandlers(options: FatalErrorOptions): FatalErrors {
  const clock = options.clock ?? (() => new Date());
  const shown = new Set<FatalKind>();
  const report = (kind: FatalKind, detail: string) => {
    try {
      mkdirSync(path.dirname(options.logFile), { recursive: true });
      // A stack's messages may quote a token or what someone wrote: scrubbed like the app log.
      appendFileSync(options.logFile, `${clock().toISOString()} ${kind} ${redactText(detail)}\n`);
    } catch {
      // The dialog still tells the person; nothing else can record the failure.
    }
    if (shown.has(kind)) return;
    shown.add(kind);
    const { title, content } = fatalErrorDialog(kind, options.logFile);
    options.dialog.showErrorBox(title, content);
  };

  const fail = (error: unknown) => {
    const first = !shown.has('uncaught-exception');
    report('uncaught-exception', describe(error));
    if (first) options.app.quit();
  };
  options.process.on('uncaughtException', fail);
  options.process.on('unhandledRejection', (reason) => {
    report('unhandled-rejection', describe(reason));
  });

  return {
    fail,
    watch(webContents) {
      webContents.on('render-process-gone', (_event, details: RenderProcessGoneDetails) => {
        if (details.reason === 'clean-exit') return;
        report('render-process-gone', `reason=${details.reason} exitCode=${details.exitCode}`);
        webContents.reload();
      });
    },
  };
}
