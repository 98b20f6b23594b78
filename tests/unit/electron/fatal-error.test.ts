import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../../src-main/core/diagnostics/logger';
import { RotatingLog } from '../../../src-main/core/diagnostics/rotating-log';
import { installFatalErrorHandlers } from '../../../src-main/electron/fatal-error';

vi.mock('electron', () => {
  throw new Error('fatal-error.ts must not import electron at runtime');
});

const dir = mkdtempSync(path.join(tmpdir(), 'helpdesk-fatal-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A message box that stays up until the test answers it (or the code aborts it). */
function pendingDialogs() {
  const answers: Array<(response: number) => void> = [];
  const showMessageBox = vi.fn(
    (options: { signal?: AbortSignal }) =>
      new Promise<{ response: number; checkboxChecked: boolean }>((resolve) => {
        const answer = (response: number) => resolve({ response, checkboxChecked: false });
        answers.push(answer);
        // Electron closes an aborted box as if cancelled.
        options.signal?.addEventListener('abort', () => answer(0));
      }),
  );
  return { showMessageBox, answer: (index: number, response: number) => answers[index]!(response) };
}

function install(name: string, ready = true) {
  const log = new RotatingLog({ dir: path.join(dir, name) });
  const process = new EventEmitter();
  const dialogs = pendingDialogs();
  const dialog = { showErrorBox: vi.fn(), showMessageBox: dialogs.showMessageBox };
  const app = { quit: vi.fn(), exit: vi.fn(), relaunch: vi.fn(), isReady: vi.fn(() => ready) };
  const fatal = installFatalErrorHandlers({
    process: process as any,
    dialog: dialog as any,
    app: app as any,
    log: createLogger(log, () => new Date('2025-01-02T03:04:05.000Z')),
    logFile: log.fileOf(0),
  });
  const lines = () => log.tail(100).map((line) => JSON.parse(line));
  return { log, process, dialog, app, fatal, lines, answer: dialogs.answer };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

function window() {
  return new EventEmitter();
}

describe('an uncaught exception in the main process', () => {
  it('is logged redacted with its stack; the dialog says work is saved and offers Restart or Quit', async () => {
    const { process, dialog, app, lines, answer, log } = install('uncaught');
    const error = new Error('refresh failed for token=abc123secret');
    process.emit('uncaughtException', error);

    const [options] = dialog.showMessageBox.mock.calls[0]! as any[];
    expect(options).toMatchObject({
      type: 'error',
      title: 'Help Desk stopped unexpectedly',
      message: 'Help Desk stopped unexpectedly and has to restart.',
      buttons: ['Restart', 'Quit'],
      defaultId: 0,
      cancelId: 0,
    });
    expect(options.detail).toContain('Your pending changes are saved on this computer');
    expect(options.detail).toContain(log.fileOf(0));
    expect(options.detail).not.toContain('abc123secret');

    const [line] = lines();
    expect(line).toMatchObject({ level: 'error', event: 'crash.main-error' });
    expect(line.error.message).toBe('refresh failed for token=[redacted]');
    expect(line.error.stack).toContain(error.stack!.split('\n')[1]!.trim());
    expect(JSON.stringify(lines())).not.toContain('abc123secret');

    // A second one while the dialog is up: logged, no second dialog.
    process.emit('uncaughtException', new Error('again'));
    expect(dialog.showMessageBox).toHaveBeenCalledOnce();
    expect(lines()).toHaveLength(2);

    answer(0, 0);
    await settle();
    expect(app.relaunch).toHaveBeenCalledOnce();
    expect(app.exit).toHaveBeenCalledExactlyOnceWith(1);
    expect(app.quit).not.toHaveBeenCalled();
  });

  it('Quit exits without a relaunch', async () => {
    const { fatal, app, answer } = install('quit');
    fatal.fail(new Error('startup broke'));
    answer(0, 1);
    await settle();
    expect(app.relaunch).not.toHaveBeenCalled();
    expect(app.exit).toHaveBeenCalledExactlyOnceWith(1);
  });

  it('before the app is ready: the error box Electron can show then, and out', () => {
    const { process, dialog, app } = install('early', false);
    process.emit('uncaughtException', new Error('bad config'));
    expect(dialog.showMessageBox).not.toHaveBeenCalled();
    const [title, content] = dialog.showErrorBox.mock.calls[0]!;
    expect(title).toBe('Help Desk stopped unexpectedly');
    expect(content).toContain('Your pending changes are saved');
    expect(content).not.toContain('bad config');
    expect(app.exit).toHaveBeenCalledExactlyOnceWith(1);
  });
});

describe('an unhandled rejection', () => {
  it('is logged every time and told once; the app keeps running', () => {
    const { process, dialog, app, lines } = install('rejection');
    process.emit('unhandledRejection', 'plain reason', Promise.resolve());
    process.emit('unhandledRejection', new Error('second'), Promise.resolve());
    expect(dialog.showErrorBox).toHaveBeenCalledExactlyOnceWith(
      'Something went wrong',
      expect.stringContaining('keeps running'),
    );
    expect(dialog.showMessageBox).not.toHaveBeenCalled();
    expect(app.exit).not.toHaveBeenCalled();
    expect(app.quit).not.toHaveBeenCalled();
    expect(lines().map((line) => [line.event, line.error.message ?? line.error])).toEqual([
      ['crash.unhandled-rejection', 'plain reason'],
      ['crash.unhandled-rejection', 'second'],
    ]);
  });
});

describe('the window', () => {
  it('a renderer crash offers Restart (a clean quit, then the app again); a clean exit is no crash', async () => {
    const { fatal, dialog, app, lines, answer } = install('renderer');
    const contents = window();
    fatal.watch(contents as any);
    contents.emit('render-process-gone', {}, { reason: 'clean-exit', exitCode: 0 });
    expect(dialog.showMessageBox).not.toHaveBeenCalled();

    contents.emit('render-process-gone', {}, { reason: 'oom', exitCode: 1 });
    expect(dialog.showMessageBox.mock.calls[0]![0]).toMatchObject({
      title: 'Help Desk stopped unexpectedly',
      message: 'The Help Desk window stopped unexpectedly.',
      buttons: ['Restart', 'Quit'],
    });
    expect(lines()[0]).toMatchObject({ event: 'crash.window-gone', reason: 'oom', exitCode: 1 });
    answer(0, 0);
    await settle();
    expect(app.relaunch).toHaveBeenCalledOnce();
    // The main process is sound: it quits the usual way, closing the replica first.
    expect(app.quit).toHaveBeenCalledOnce();
    expect(app.exit).not.toHaveBeenCalled();
  });

  it('a hang offers to keep waiting; the dialog goes away by itself when the window answers again', async () => {
    const { fatal, dialog, app, answer } = install('hang');
    const contents = window();
    fatal.watch(contents as any);
    contents.emit('unresponsive');
    expect(dialog.showMessageBox.mock.calls[0]![0]).toMatchObject({
      type: 'warning',
      title: 'Help Desk is not responding',
      buttons: ['Keep waiting', 'Restart', 'Quit'],
      cancelId: 0,
    });
    contents.emit('responsive');
    await settle();
    expect((dialog.showMessageBox.mock.calls[0]![0] as any).signal.aborted).toBe(true);

    // It hangs again; this time the person waits, then it hangs once more and they quit.
    contents.emit('unresponsive');
    answer(1, 0);
    await settle();
    contents.emit('unresponsive');
    answer(2, 2);
    await settle();
    expect(dialog.showMessageBox).toHaveBeenCalledTimes(3);
    expect(app.relaunch).not.toHaveBeenCalled();
    expect(app.exit).toHaveBeenCalledExactlyOnceWith(0);
  });

  it('a hang that becomes a crash: the crash dialog replaces the hang one', async () => {
    const { fatal, dialog, app, answer } = install('hang-then-crash');
    const contents = window();
    fatal.watch(contents as any);
    contents.emit('unresponsive');
    contents.emit('render-process-gone', {}, { reason: 'crashed', exitCode: 139 });
    expect(dialog.showMessageBox).toHaveBeenCalledTimes(2);
    expect((dialog.showMessageBox.mock.calls[0]![0] as any).signal.aborted).toBe(true);
    // The aborted hang dialog's answer decides nothing.
    await settle();
    expect(app.exit).not.toHaveBeenCalled();
    expect(app.quit).not.toHaveBeenCalled();
    answer(1, 0);
    await settle();
    expect(app.relaunch).toHaveBeenCalledOnce();
    expect(app.quit).toHaveBeenCalledOnce();
  });
});
