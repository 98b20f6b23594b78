import { describe, expect, it } from 'vitest';
import type { PhysicalKeyPress } from '../../../../src-renderer/lib/keymap';
import {
  SETTINGS_SHORTCUTS,
  settingsKeyAction,
} from '../../../../src-renderer/lib/settings-keymap';
import { SETTINGS_TABS } from '../../../../src-renderer/lib/settings-tabs';

const press = (key: string, more: Partial<PhysicalKeyPress> = {}): PhysicalKeyPress => ({
  key,
  code: /^\d$/.test(key) ? `Digit${key}` : '',
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  inField: false,
  ...more,
});

describe('settingsKeyAction', () => {
  it('goes back with Esc, but first leaves a text field', () => {
    expect(settingsKeyAction(press('Escape'), 'profile')).toEqual({ type: 'back' });
    expect(settingsKeyAction(press('Escape', { inField: true }), 'profile')).toEqual({
      type: 'leave-field',
    });
  });

  it('jumps to a section with Alt and its number, by the physical key, in a field too', () => {
    expect(settingsKeyAction(press('1', { altKey: true }), 'privacy')).toEqual({
      type: 'tab',
      tab: 'profile',
    });
    expect(settingsKeyAction(press('3', { altKey: true, inField: true }), 'profile')).toEqual({
      type: 'tab',
      tab: 'preferences',
    });
    // Alt+6 on a Mac keyboard: the key is "§", the code still Digit6.
    expect(settingsKeyAction(press('§', { altKey: true, code: 'Digit6' }), 'profile')).toEqual({
      type: 'tab',
      tab: 'privacy',
    });
    expect(settingsKeyAction(press('7', { altKey: true }), 'profile')).toEqual({
      type: 'tab',
      tab: 'local-data',
    });
    expect(settingsKeyAction(press('8', { altKey: true }), 'profile')).toEqual({
      type: 'tab',
      tab: 'theme-notifications',
    });
    expect(settingsKeyAction(press('0', { altKey: true }), 'profile')).toBeNull();
    expect(settingsKeyAction(press('3', { altKey: true, ctrlKey: true }), 'profile')).toBeNull();
    expect(settingsKeyAction(press('3'), 'profile')).toBeNull();
  });

  it('refreshes with r on the log-ins only, and never while typing', () => {
    expect(settingsKeyAction(press('r'), 'logins')).toEqual({ type: 'refresh' });
    expect(settingsKeyAction(press('r'), 'profile')).toBeNull();
    expect(settingsKeyAction(press('r', { inField: true }), 'logins')).toBeNull();
    expect(settingsKeyAction(press('r', { ctrlKey: true }), 'logins')).toBeNull();
  });

  it('switches the theme with Shift+L, never while typing', () => {
    expect(settingsKeyAction(press('L'), 'profile')).toEqual({ type: 'cycle-theme' });
    expect(settingsKeyAction(press('l'), 'profile')).toBeNull();
    expect(settingsKeyAction(press('L', { inField: true }), 'profile')).toBeNull();
    expect(settingsKeyAction(press('L', { ctrlKey: true }), 'profile')).toBeNull();
  });

  it('lists every section under its Alt shortcut', () => {
    const [keys, what] = SETTINGS_SHORTCUTS[0]!;
    expect(keys).toBe(`Alt+1–${SETTINGS_TABS.length}`);
    expect(what).toContain('Local data & diagnostics, Theme & notifications');
  });

  it('shows the shortcuts with ?', () => {
    expect(settingsKeyAction(press('?'), 'security')).toEqual({ type: 'shortcuts' });
    expect(settingsKeyAction(press('?', { inField: true }), 'security')).toBeNull();
  });
});
