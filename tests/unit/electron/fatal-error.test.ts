import { EventEmitter } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import {
  fatalErrorDialog,
  installFatalErrorHandlers,
} from '../../../src-main/electron/fatal-error';

vi.mock('electron', () => {
  throw new Error('fatal-error.ts must not import electron at runtime');
});

const dir = mkdtempSync(path.join(tmpdir(), 'helpdesk-fatal-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function install(name: string) {
  const logFile = path.join(dir, name, 'logs', 'main.log');
  const process = new EventEmitter();
  const dialog = { showErrorBox: vi.fn() };
  const app = { quit: vi.fn() };
  const fatal = installFatalErrorHandlers({
    process: process as any,
    dialog,
    app,
    logFile,
    clock: () => new Date('2025-01-02T03:04:05.000Z'),
  });
  return { logFile, process, dialog, app, fatal };
}

describe('fatal errors', () => {
  it('an uncaught exception: full details in the log, a clear dialog without them, then quit', () => {
    const { logFile, process, dialog, app } = install('uncaught');
    const error = new Error('refresh token abc123 rejected');
    process.emit('uncaughtException', error);
    expect(dialog.showErrorBox).toHaveBeenCalledExactlyOnceWith(
      'Help Desk has to close',
      fatalErrorDialog('uncaught-exception', logFile).content,
    );
    const [, content] = dialog.showErrorBox.mock.calls[0]!;
    expect(content).not.toContain('abc123');
    expect(content).toContain(logFile);
    expect(app.quit).toHaveBeenCalledOnce();
    const log = readFileSync(logFile, 'utf8');
    expect(log.startsWith('2025-01-02T03:04:05.000Z uncaught-exception Error: refresh token')).toBe(
      true,
    );
    expect(log).toContain(error.stack!.split('\n')[1]!.trim());

    // A second one while quitting: logged, no second dialog, no second quit.
    process.emit('uncaughtException', new Error('again'));
    expect(dialog.showErrorBox).toHaveBeenCalledOnce();
    expect(app.quit).toHaveBeenCalledOnce();
    expect(readFileSync(logFile, 'utf8')).toContain('uncaught-exception Error: again');
  });

  it('an unhandled rejection: logged and shown once, the app keeps running', () => {
    const { logFile, process, dialog, app } = install('rejection');
    process.emit('unhandledRejection', 'plain reason', Promise.resolve());
    process.emit('unhandledRejection', new Error('second'), Promise.resolve());
    expect(dialog.showErrorBox).toHaveBeenCalledExactlyOnceWith(
      'Something went wrong',
      expect.stringContaining('keeps running'),
    );
    expect(app.quit).not.toHaveBeenCalled();
    const lines = readFileSync(logFile, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('2025-01-02T03:04:05.000Z unhandled-rejection plain reason');
    expect(lines[1]).toContain('unhandled-rejection Error: second');
  });

  it('a renderer crash reloads the window; a clean exit does nothing', () => {
    const { logFile, dialog, fatal } = install('renderer');
    const webContents = Object.assign(new EventEmitter(), { reload: vi.fn() });
    fatal.watch(webContents as any);
    webContents.emit('render-process-gone', {}, { reason: 'clean-exit', exitCode: 0 });
    expect(webContents.reload).not.toHaveBeenCalled();
    expect(dialog.showErrorBox).not.toHaveBeenCalled();
    webContents.emit('render-process-gone', {}, { reason: 'oom', exitCode: 1 });
    expect(webContents.reload).toHaveBeenCalledOnce();
    expect(dialog.showErrorBox).toHaveBeenCalledWith(
      'The Help Desk window stopped',
      expect.any(String),
    );
    expect(readFileSync(logFile, 'utf8')).toContain('render-process-gone reason=oom exitCode=1');
  });

  it('fail() is an uncaught exception by another road', () => {
    const { dialog, app, fatal } = install('fail');
    fatal.fail(new Error('startup broke'));
    expect(dialog.showErrorBox.mock.calls[0]![0]).toBe('Help Desk has to close');
    expect(app.quit).toHaveBeenCalledOnce();
  });
});
