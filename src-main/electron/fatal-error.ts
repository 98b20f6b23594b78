import type { App, Dialog, RenderProcessGoneDetails, WebContents } from 'electron';
import type { Logger } from '../core/diagnostics/logger';
import {
  crashChoice,
  crashDialogFor,
  crashPrompt,
  endingFor,
  type CrashKind,
  type CrashPrompt,
} from './crash-prompt';

export interface FatalErrorOptions {
  process: Pick<NodeJS.Process, 'on'>;
  dialog: Pick<Dialog, 'showErrorBox' | 'showMessageBox'>;
  app: Pick<App, 'quit' | 'exit' | 'relaunch' | 'isReady'>;
  /** The diagnostics log (redacted: a stack's messages may quote a token or what someone wrote). */
  log: Logger;
  /** Its current file, named in the dialog. */
  logFile: string;
}

export interface FatalErrors {
  /** An error the app cannot go on after (as an uncaught exception): logged, then the dialog. */
  fail(error: unknown): void;
  /** Offers to restart when the window's renderer crashes (a clean exit is none) or hangs. */
  watch(webContents: Pick<WebContents, 'on'>): void;
}

const UNHANDLED_REJECTION = {
  title: 'Something went wrong',
  content:
    'An unexpected error occurred; Help Desk keeps running. Your pending changes are saved on ' +
    'this computer. Details were written to the diagnostics log.',
};

/**
 * Uncaught exceptions and unhandled rejections of the main process, and the window's renderer
 * crashing or hanging: each written to the diagnostics log, and the crash dialog (crash-prompt.ts)
 * offers to restart or quit. A rejection is only told once: the app goes on after it.
 */
export function installFatalErrorHandlers(options: FatalErrorOptions): FatalErrors {
  const { app, dialog, log } = options;
  let open: { prompt: CrashPrompt; abort: AbortController } | null = null;
  let rejectionTold = false;

  const end = (prompt: CrashPrompt, relaunch: boolean) => {
    if (relaunch) app.relaunch();
    if (endingFor(prompt.kind) === 'quit') app.quit();
    else app.exit(prompt.kind === 'main-error' ? 1 : 0);
  };

  const prompt = (kind: CrashKind) => {
    const decision = crashDialogFor(open?.prompt.kind ?? null, kind);
    if (decision === 'log') return;
    open?.abort.abort();
    const shown = { prompt: crashPrompt(kind, options.logFile), abort: new AbortController() };
    open = shown;
    if (!app.isReady()) {
      // Too early for a message box: the one dialog Electron shows before ready, then out.
      const { title = '', message, detail } = shown.prompt.options;
      dialog.showErrorBox(title, `${message}\n\n${detail}`);
      return end(shown.prompt, false);
    }
    void dialog
      .showMessageBox({ ...shown.prompt.options, signal: shown.abort.signal })
      .then(({ response }) => {
        // Closed by a more serious crash's dialog, or by the window answering again.
        if (shown.abort.signal.aborted) return;
        open = null;
        const choice = crashChoice(shown.prompt, response);
        log.info('crash.choice', { kind, choice });
        if (choice !== 'wait') end(shown.prompt, choice === 'restart');
      })
      .catch((error: unknown) => {
        open = null;
        log.error('crash.dialog-failed', { kind, error });
        end(shown.prompt, false);
      });
  };

  const fail = (error: unknown) => {
    log.error('crash.main-error', { error });
    prompt('main-error');
  };
  options.process.on('uncaughtException', fail);
  options.process.on('unhandledRejection', (reason) => {
    log.error('crash.unhandled-rejection', { error: reason });
    if (rejectionTold) return;
    rejectionTold = true;
    dialog.showErrorBox(UNHANDLED_REJECTION.title, UNHANDLED_REJECTION.content);
  });

  return {
    fail,
    watch(webContents) {
      webContents.on('render-process-gone', (_event, details: RenderProcessGoneDetails) => {
        if (details.reason === 'clean-exit') return;
        log.error('crash.window-gone', { reason: details.reason, exitCode: details.exitCode });
        prompt('window-gone');
      });
      webContents.on('unresponsive', () => {
        log.warn('crash.window-unresponsive');
        prompt('window-unresponsive');
      });
      webContents.on('responsive', () => {
        if (open?.prompt.kind !== 'window-unresponsive') return;
        log.info('crash.window-responsive');
        open.abort.abort();
        open = null;
      });
    },
  };
}
