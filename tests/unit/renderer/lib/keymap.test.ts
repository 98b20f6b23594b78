import { describe, expect, it } from 'vitest';
import {
  COMMANDS,
  isTypingTarget,
  keyAction,
  SHORTCUT_GROUPS,
  SORT_COMMANDS,
  type KeyPress,
} from '../../../../src-renderer/lib/keymap';
import { SORT_IDS } from '../../../../src-renderer/lib/sorts';

const press = (key: string, more: Partial<KeyPress> = {}): KeyPress => ({
  key,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  inField: false,
  ...more,
});

describe('keyAction', () => {
  it('maps the single keys of the keyboard map', () => {
    expect(keyAction(press('j'), false)).toEqual({ type: 'next' });
    expect(keyAction(press('k'), false)).toEqual({ type: 'previous' });
    expect(keyAction(press('Enter'), false)).toEqual({ type: 'open' });
    expect(keyAction(press('/'), false)).toEqual({ type: 'search' });
    expect(keyAction(press('s'), false)).toEqual({ type: 'focus', target: 'status' });
    expect(keyAction(press('p'), false)).toEqual({ type: 'focus', target: 'priority' });
    expect(keyAction(press('a'), false)).toEqual({ type: 'focus', target: 'assignee' });
    expect(keyAction(press('t'), false)).toEqual({ type: 'focus', target: 'tag' });
    expect(keyAction(press('r'), false)).toEqual({ type: 'compose', public: true });
    expect(keyAction(press('n'), false)).toEqual({ type: 'compose', public: false });
    expect(keyAction(press('?'), false)).toEqual({ type: 'shortcuts' });
    expect(keyAction(press(','), false)).toEqual({ type: 'settings' });
    expect(keyAction(press('q'), false)).toBeNull();
  });

  it('maps the offline-triage keys: selection, macro, new ticket, views, collisions', () => {
    expect(keyAction(press('x'), false)).toEqual({ type: 'check' });
    expect(keyAction(press('J'), false)).toEqual({ type: 'extend', delta: 1 });
    expect(keyAction(press('N'), false)).toEqual({ type: 'notifications' });
    expect(keyAction(press('U'), false)).toEqual({ type: 'check-updates' });
    expect(keyAction(press('U', { inField: true }), false)).toBeNull();
    expect(keyAction(press('K'), false)).toEqual({ type: 'extend', delta: -1 });
    expect(keyAction(press('X'), false)).toEqual({ type: 'uncheck-all' });
    expect(keyAction(press('m'), false)).toEqual({ type: 'macro' });
    expect(keyAction(press('c'), false)).toEqual({ type: 'new-ticket' });
    expect(keyAction(press('v'), false)).toEqual({ type: 'save-view' });
    expect(keyAction(press('o'), false)).toEqual({ type: 'focus', target: 'sort' });
    expect(keyAction(press('f'), false)).toEqual({ type: 'focus', target: 'attachments' });
    expect(keyAction(press('h'), false)).toEqual({ type: 'next-held' });
    expect(keyAction(press('S'), false)).toEqual({ type: 'held', action: 'send' });
    expect(keyAction(press('E'), false)).toEqual({ type: 'held', action: 'edit' });
    expect(keyAction(press('D'), false)).toEqual({ type: 'held', action: 'discard' });
    expect(keyAction(press('M'), false)).toEqual({ type: 'keep', choice: 'mine' });
    expect(keyAction(press('T'), false)).toEqual({ type: 'keep', choice: 'theirs' });
  });

  it('switches the theme with Shift+L, not with l nor while typing', () => {
    expect(keyAction(press('L'), false)).toEqual({ type: 'cycle-theme' });
    expect(keyAction(press('l'), false)).toBeNull();
    expect(keyAction(press('L', { inField: true }), false)).toBeNull();
  });

  it('opens the command palette with ctrl+k or cmd+k, in a text field too', () => {
    expect(keyAction(press('k', { ctrlKey: true }), false)).toEqual({ type: 'palette' });
    expect(keyAction(press('K', { metaKey: true }), false)).toEqual({ type: 'palette' });
    expect(keyAction(press('k', { ctrlKey: true, inField: true }), false)).toEqual({
      type: 'palette',
    });
    expect(keyAction(press('k', { ctrlKey: true, altKey: true }), false)).toBeNull();
  });

  it('ignores typing in a field, except Esc', () => {
    expect(keyAction(press('j', { inField: true }), false)).toBeNull();
    expect(keyAction(press('/', { inField: true }), false)).toBeNull();
    expect(keyAction(press(',', { inField: true }), false)).toBeNull();
    expect(keyAction(press('z', { inField: true, ctrlKey: true }), false)).toBeNull();
    expect(keyAction(press('Escape', { inField: true }), false)).toEqual({ type: 'escape' });
  });

  it('undoes with ctrl+z or cmd+z, and leaves other chords alone', () => {
    expect(keyAction(press('z', { ctrlKey: true }), false)).toEqual({ type: 'undo' });
    expect(keyAction(press('z', { metaKey: true }), false)).toEqual({ type: 'undo' });
    expect(keyAction(press('j', { ctrlKey: true }), false)).toBeNull();
    expect(keyAction(press('j', { altKey: true }), false)).toBeNull();
  });

  it('switches account with ctrl or cmd and 1..9, by the physical key, in a field too', () => {
    expect(keyAction(press('1', { ctrlKey: true }), false)).toEqual({ type: 'account', index: 0 });
    expect(keyAction(press('9', { metaKey: true, inField: true }), false)).toEqual({
      type: 'account',
      index: 8,
    });
    // AZERTY: the key marked 1 types "&" unshifted.
    expect(keyAction({ ...press('&', { ctrlKey: true }), code: 'Digit1' }, false)).toEqual({
      type: 'account',
      index: 0,
    });
    expect(keyAction({ ...press('1', { ctrlKey: true }), code: 'Numpad1' }, false)).toBeNull();
    expect(keyAction(press('0', { ctrlKey: true }), false)).toBeNull();
    expect(keyAction(press('1', { ctrlKey: true, altKey: true }), false)).toBeNull();
    expect(keyAction(press('1'), false)).toBeNull();
  });

  it('switches view with g then 1..6, and only right after g', () => {
    expect(keyAction(press('g'), false)).toEqual({ type: 'await-view' });
    expect(keyAction(press('1'), true)).toEqual({ type: 'view', index: 0 });
    expect(keyAction(press('6'), true)).toEqual({ type: 'view', index: 5 });
    expect(keyAction(press('7'), true)).toBeNull();
    expect(keyAction(press('3'), false)).toBeNull();
    expect(keyAction(press('j'), true)).toEqual({ type: 'next' });
  });
});

describe('the command list', () => {
  it('names every action once, and gives each a key the map runs', () => {
    const names = COMMANDS.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    for (const command of COMMANDS.filter((c) => c.key !== undefined))
      expect(keyAction(press(command.key!), false)).toEqual(command.action);
    for (const command of COMMANDS) expect(command.keys).not.toBe('');
  });

  it('lists every sort order for the palette', () => {
    expect(SORT_COMMANDS.map((c) => c.action)).toEqual(
      SORT_IDS.map((sort) => ({ type: 'sort', sort })),
    );
  });

  it('shows the six views as one row of the sheet, and every other command', () => {
    const rows = SHORTCUT_GROUPS.flatMap(([, r]) => r);
    expect(rows).toContainEqual(['g then 1–6', 'Switch view']);
    expect(rows.filter(([keys]) => keys.startsWith('g then'))).toHaveLength(1);
    expect(rows).toHaveLength(COMMANDS.length - 5);
    expect(rows).toContainEqual(['Ctrl+K / ⌘K', 'Command palette']);
    expect(rows).toContainEqual([
      'Ctrl+1–9 / ⌘1–9',
      'Switch to account 1–9 (as the Accounts list orders them)',
    ]);
  });
});

describe('isTypingTarget', () => {
  it('counts text fields and editable content, not buttons, radios or selects', () => {
    expect(isTypingTarget({ tagName: 'INPUT', type: 'text' })).toBe(true);
    expect(isTypingTarget({ tagName: 'INPUT', type: 'search' })).toBe(true);
    expect(isTypingTarget({ tagName: 'TEXTAREA' })).toBe(true);
    expect(isTypingTarget({ tagName: 'DIV', isContentEditable: true })).toBe(true);
    expect(isTypingTarget({ tagName: 'INPUT', type: 'radio' })).toBe(false);
    expect(isTypingTarget({ tagName: 'BUTTON' })).toBe(false);
    expect(isTypingTarget({ tagName: 'SELECT' })).toBe(false);
  });
});
