import { describe, expect, it } from 'vitest';
import { isTypingTarget, keyAction, type KeyPress } from '../../../../src-renderer/lib/keymap';

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
    expect(keyAction(press('x'), false)).toBeNull();
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

  it('switches view with g then 1..6, and only right after g', () => {
    expect(keyAction(press('g'), false)).toEqual({ type: 'await-view' });
    expect(keyAction(press('1'), true)).toEqual({ type: 'view', index: 0 });
    expect(keyAction(press('6'), true)).toEqual({ type: 'view', index: 5 });
    expect(keyAction(press('7'), true)).toBeNull();
    expect(keyAction(press('3'), false)).toBeNull();
    expect(keyAction(press('j'), true)).toEqual({ type: 'next' });
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
