import { describe, expect, it, vi } from 'vitest';
import {
  crashChoice,
  crashDialogFor,
  crashPrompt,
  endingFor,
  type CrashKind,
} from '../../../src-main/electron/crash-prompt';

vi.mock('electron', () => {
  throw new Error('crash-prompt.ts must not import electron at runtime');
});

const KINDS: CrashKind[] = ['main-error', 'window-gone', 'window-unresponsive'];

describe('the crash dialog', () => {
  it('says what stopped and that pending changes are saved, without technical details', () => {
    for (const kind of KINDS) {
      const { options } = crashPrompt(kind, '/home/a/.config/Help Desk/logs/helpdesk.log');
      expect(options.detail, kind).toMatch(/^Your pending changes are saved on this computer/);
      expect(options.detail, kind).toContain('/home/a/.config/Help Desk/logs/helpdesk.log');
      expect(options.message, kind).toMatch(/Help Desk/);
      expect(options.buttons, kind).toContain('Restart');
      expect(options.buttons, kind).toContain('Quit');
    }
  });

  it('maps each button to its choice; Enter and Esc keep working (restart, or wait on a hang)', () => {
    const crash = crashPrompt('window-gone', 'log');
    expect([0, 1].map((index) => crashChoice(crash, index))).toEqual(['restart', 'quit']);
    expect(crashChoice(crash, crash.options.cancelId!)).toBe('restart');
    expect(crashChoice(crash, crash.options.defaultId!)).toBe('restart');
    const hang = crashPrompt('window-unresponsive', 'log');
    expect([0, 1, 2].map((index) => crashChoice(hang, index))).toEqual(['wait', 'restart', 'quit']);
    expect(crashChoice(hang, hang.options.cancelId!)).toBe('wait');
    // An answer no button gives: the first choice.
    expect(crashChoice(hang, 7)).toBe('wait');
  });

  it('one dialog at a time: a more serious crash replaces a milder one, the rest is only logged', () => {
    expect(crashDialogFor(null, 'window-unresponsive')).toBe('show');
    expect(crashDialogFor('window-unresponsive', 'window-gone')).toBe('replace');
    expect(crashDialogFor('window-gone', 'main-error')).toBe('replace');
    expect(crashDialogFor('window-gone', 'window-gone')).toBe('log');
    expect(crashDialogFor('main-error', 'window-gone')).toBe('log');
    expect(crashDialogFor('window-gone', 'window-unresponsive')).toBe('log');
  });

  it('quits cleanly after a window crash; exits at once after a main error or with a hung window', () => {
    expect(KINDS.map(endingFor)).toEqual(['exit', 'quit', 'exit']);
  });
});
