/** The workspace's keyboard map, as a pure function of a key press (see docs in README.md). */

export type FocusTarget = 'status' | 'priority' | 'assignee' | 'tag';

export type KeyAction =
  | { type: 'next' }
  | { type: 'previous' }
  | { type: 'open' }
  | { type: 'escape' }
  | { type: 'search' }
  | { type: 'focus'; target: FocusTarget }
  | { type: 'compose'; public: boolean }
  | { type: 'undo' }
  | { type: 'await-view' }
  | { type: 'view'; index: number }
  | { type: 'shortcuts' };

export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  /** Focus is in a text field, select or other control that takes typing. */
  inField: boolean;
}

const PLAIN: Record<string, KeyAction> = {
  j: { type: 'next' },
  k: { type: 'previous' },
  Enter: { type: 'open' },
  '/': { type: 'search' },
  s: { type: 'focus', target: 'status' },
  p: { type: 'focus', target: 'priority' },
  a: { type: 'focus', target: 'assignee' },
  t: { type: 'focus', target: 'tag' },
  r: { type: 'compose', public: true },
  n: { type: 'compose', public: false },
  g: { type: 'await-view' },
  '?': { type: 'shortcuts' },
};

/**
 * What a key press does. `awaitingView` is true right after `g` (then 1..6 picks a view). Typing
 * in a field is left alone, except Esc.
 */
export function keyAction(press: KeyPress, awaitingView: boolean): KeyAction | null {
  if (press.key === 'Escape') return { type: 'escape' };
  if (press.inField || press.altKey) return null;
  if (press.ctrlKey || press.metaKey) {
    return press.key.toLowerCase() === 'z' ? { type: 'undo' } : null;
  }
  if (awaitingView) {
    const digit = Number(press.key);
    if (Number.isInteger(digit) && digit >= 1 && digit <= 6)
      return { type: 'view', index: digit - 1 };
  }
  return PLAIN[press.key] ?? null;
}

const NOT_TYPED = new Set(['button', 'checkbox', 'radio', 'submit', 'reset', 'file']);

/**
 * Whether an element takes typing (keys go to it, not to the shortcuts). A select does not: after
 * `s` picks Status, the arrows change it and `p`, `a`, `j`… go on with the triage.
 */
export function isTypingTarget(element: {
  tagName: string;
  isContentEditable?: boolean;
  type?: string;
}): boolean {
  const tag = element.tagName.toLowerCase();
  if (element.isContentEditable || tag === 'textarea') return true;
  if (tag !== 'input') return false;
  return !NOT_TYPED.has(element.type ?? 'text');
}

/** The shortcuts, as the `?` dialog lists them. */
export const SHORTCUTS: ReadonlyArray<[keys: string, what: string]> = [
  ['j / k', 'Next / previous ticket'],
  ['Enter', 'Open the selected ticket'],
  ['Esc', 'Close the search, or back to the list'],
  ['/', 'Search'],
  ['s', 'Status'],
  ['p', 'Priority'],
  ['a', 'Assignee'],
  ['t', 'Add a tag'],
  ['r', 'Write a public reply'],
  ['n', 'Write an internal note'],
  ['Ctrl+Z / ⌘Z', 'Undo the last change'],
  ['g then 1–6', 'Switch view'],
  ['?', 'This list'],
];
