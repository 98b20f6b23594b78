import { SORTS, type SortId } from './sorts';
import { VIEW_IDS, VIEWS } from './views';

/**
 * The workspace's actions: each with a name (the command palette lists it), its keys (the `?`
 * sheet lists them) and, as a pure function of a key press, which key runs it.
 */

export type FocusTarget = 'status' | 'priority' | 'assignee' | 'tag' | 'sort' | 'attachments';

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
  | { type: 'shortcuts' }
  | { type: 'settings' }
  | { type: 'palette' }
  | { type: 'new-ticket' }
  | { type: 'macro' }
  | { type: 'save-view' }
  | { type: 'check' }
  | { type: 'extend'; delta: 1 | -1 }
  | { type: 'uncheck-all' }
  | { type: 'next-held' }
  | { type: 'next-attention' }
  | { type: 'held'; action: 'send' | 'edit' | 'discard' }
  | { type: 'keep'; choice: 'mine' | 'theirs' }
  | { type: 'notifications' }
  | { type: 'cycle-theme' }
  | { type: 'check-updates' }
  /** The n-th account of the switcher (Ctrl/⌘+1..9). */
  | { type: 'account'; index: number }
  /** From the command palette only: a saved view, a sort order, adding an account. */
  | { type: 'add-account' }
  | { type: 'saved-view'; id: string }
  | { type: 'sort'; sort: SortId };

export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  /** Focus is in a text field, select or other control that takes typing. */
  inField: boolean;
}

/** With the physical key (`Digit3`), for chords whose `key` depends on the layout. */
export interface PhysicalKeyPress extends KeyPress {
  code: string;
}

export const COMMAND_GROUPS = ['Tickets', 'Selection', 'Triage', 'Collisions', 'App'] as const;
export type CommandGroup = (typeof COMMAND_GROUPS)[number];

export interface Command {
  name: string;
  /** As the sheet and the palette show them. */
  keys: string;
  action: KeyAction;
  group: CommandGroup;
  /** The KeyboardEvent key that runs it alone (none: a chord or a sequence). */
  key?: string;
}

const VIEW_COMMANDS: Command[] = VIEW_IDS.map((id, index) => ({
  name: `Go to view: ${VIEWS[id].label}`,
  keys: `g then ${index + 1}`,
  action: { type: 'view', index },
  group: 'Tickets',
}));

/** Every action of the workspace, in the sheet's order. */
export const COMMANDS: readonly Command[] = [
  { key: 'j', keys: 'j', name: 'Next ticket', action: { type: 'next' }, group: 'Tickets' },
  { key: 'k', keys: 'k', name: 'Previous ticket', action: { type: 'previous' }, group: 'Tickets' },
  {
    key: 'Enter',
    keys: 'Enter',
    name: 'Open the selected ticket',
    action: { type: 'open' },
    group: 'Tickets',
  },
  {
    keys: 'Esc',
    name: 'Close the search, or back to the list',
    action: { type: 'escape' },
    group: 'Tickets',
  },
  { key: '/', keys: '/', name: 'Search', action: { type: 'search' }, group: 'Tickets' },
  ...VIEW_COMMANDS,
  {
    key: 'v',
    keys: 'v',
    name: 'Save the search as a view',
    action: { type: 'save-view' },
    group: 'Tickets',
  },
  {
    key: 'o',
    keys: 'o',
    name: 'Sort the list',
    action: { type: 'focus', target: 'sort' },
    group: 'Tickets',
  },
  { key: 'c', keys: 'c', name: 'New ticket', action: { type: 'new-ticket' }, group: 'Tickets' },
  {
    key: 'x',
    keys: 'x',
    name: 'Select or unselect the ticket for bulk actions',
    action: { type: 'check' },
    group: 'Selection',
  },
  {
    key: 'J',
    keys: 'Shift+J',
    name: 'Extend the selection down',
    action: { type: 'extend', delta: 1 },
    group: 'Selection',
  },
  {
    key: 'K',
    keys: 'Shift+K',
    name: 'Extend the selection up',
    action: { type: 'extend', delta: -1 },
    group: 'Selection',
  },
  {
    key: 'X',
    keys: 'Shift+X',
    name: 'Clear the selection',
    action: { type: 'uncheck-all' },
    group: 'Selection',
  },
  {
    key: 's',
    keys: 's',
    name: 'Status (of the selection, if any)',
    action: { type: 'focus', target: 'status' },
    group: 'Triage',
  },
  {
    key: 'p',
    keys: 'p',
    name: 'Priority (of the selection, if any)',
    action: { type: 'focus', target: 'priority' },
    group: 'Triage',
  },
  {
    key: 'a',
    keys: 'a',
    name: 'Assignee (of the selection, if any)',
    action: { type: 'focus', target: 'assignee' },
    group: 'Triage',
  },
  {
    key: 't',
    keys: 't',
    name: 'Add a tag (to the selection, if any)',
    action: { type: 'focus', target: 'tag' },
    group: 'Triage',
  },
  { key: 'm', keys: 'm', name: 'Apply a macro', action: { type: 'macro' }, group: 'Triage' },
  {
    key: 'r',
    keys: 'r',
    name: 'Write a public reply',
    action: { type: 'compose', public: true },
    group: 'Triage',
  },
  {
    key: 'n',
    keys: 'n',
    name: 'Write an internal note',
    action: { type: 'compose', public: false },
    group: 'Triage',
  },
  {
    key: 'f',
    keys: 'f',
    name: 'Attachments',
    action: { type: 'focus', target: 'attachments' },
    group: 'Triage',
  },
  {
    keys: 'Ctrl+Z / ⌘Z',
    name: 'Undo the last change',
    action: { type: 'undo' },
    group: 'Triage',
  },
  {
    key: 'h',
    keys: 'h',
    name: 'Go to the next held reply',
    action: { type: 'next-held' },
    group: 'Collisions',
  },
  {
    key: 'S',
    keys: 'Shift+S',
    name: 'Send the held reply anyway',
    action: { type: 'held', action: 'send' },
    group: 'Collisions',
  },
  {
    key: 'E',
    keys: 'Shift+E',
    name: 'Edit the held reply',
    action: { type: 'held', action: 'edit' },
    group: 'Collisions',
  },
  {
    key: 'D',
    keys: 'Shift+D',
    name: 'Discard the held reply',
    action: { type: 'held', action: 'discard' },
    group: 'Collisions',
  },
  {
    key: 'A',
    keys: 'Shift+A',
    name: 'Go to the next change that needs attention',
    action: { type: 'next-attention' },
    group: 'Collisions',
  },
  {
    key: 'M',
    keys: 'Shift+M',
    name: 'Keep mine (needs attention)',
    action: { type: 'keep', choice: 'mine' },
    group: 'Collisions',
  },
  {
    key: 'T',
    keys: 'Shift+T',
    name: 'Keep theirs (needs attention)',
    action: { type: 'keep', choice: 'theirs' },
    group: 'Collisions',
  },
  { keys: 'Ctrl+K / ⌘K', name: 'Command palette', action: { type: 'palette' }, group: 'App' },
  {
    key: 'N',
    keys: 'Shift+N',
    name: 'Notifications',
    action: { type: 'notifications' },
    group: 'App',
  },
  {
    key: 'L',
    keys: 'Shift+L',
    name: 'Switch the theme: System, Light, Dark',
    action: { type: 'cycle-theme' },
    group: 'App',
  },
  {
    keys: 'Ctrl+1–9 / ⌘1–9',
    name: 'Switch to account 1–9 (as the Accounts list orders them)',
    action: { type: 'account', index: 0 },
    group: 'App',
  },
  {
    key: 'U',
    keys: 'Shift+U',
    name: 'Check for updates',
    action: { type: 'check-updates' },
    group: 'App',
  },
  { key: ',', keys: ',', name: 'Open the settings', action: { type: 'settings' }, group: 'App' },
  { key: '?', keys: '?', name: 'Keyboard shortcuts', action: { type: 'shortcuts' }, group: 'App' },
];

/** What the command palette offers besides the commands: each sort order by name. */
export const SORT_COMMANDS: readonly Command[] = Object.entries(SORTS).map(([id, { label }]) => ({
  name: `Sort by: ${label}`,
  keys: 'o',
  action: { type: 'sort', sort: id as SortId },
  group: 'Tickets',
}));

const PLAIN: Record<string, KeyAction> = Object.fromEntries(
  COMMANDS.flatMap((command) => (command.key ? [[command.key, command.action]] : [])),
);

/** The digit 1..9 of a key press, by the physical key when known (layouts put digits elsewhere). */
function digitOf(press: KeyPress & { code?: string }): number | null {
  const digit = press.code
    ? /^Digit([1-9])$/.exec(press.code)?.[1]
    : /^[1-9]$/.exec(press.key)?.[0];
  return digit === undefined ? null : Number(digit);
}

/**
 * What a key press does. `awaitingView` is true right after `g` (then 1..6 picks a view). Typing
 * in a field is left alone, except Esc, Ctrl/⌘+K and Ctrl/⌘ with a digit (an account).
 */
export function keyAction(
  press: KeyPress & { code?: string },
  awaitingView: boolean,
): KeyAction | null {
  if (press.key === 'Escape') return { type: 'escape' };
  if ((press.ctrlKey || press.metaKey) && !press.altKey) {
    const key = press.key.toLowerCase();
    if (key === 'k') return { type: 'palette' };
    const digit = digitOf(press);
    if (digit !== null) return { type: 'account', index: digit - 1 };
    return key === 'z' && !press.inField ? { type: 'undo' } : null;
  }
  if (press.inField || press.altKey || press.ctrlKey || press.metaKey) return null;
  if (press.key === 'g') return { type: 'await-view' };
  if (awaitingView) {
    const digit = Number(press.key);
    if (Number.isInteger(digit) && digit >= 1 && digit <= VIEW_IDS.length)
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

type Row = readonly [keys: string, what: string];

/** The shortcuts, as the `?` sheet lists them: by group, the six views in one row. */
export const SHORTCUT_GROUPS: ReadonlyArray<readonly [CommandGroup, readonly Row[]]> =
  COMMAND_GROUPS.map((group) => {
    const rows: Row[] = [];
    for (const command of COMMANDS.filter((c) => c.group === group)) {
      if (command.action.type !== 'view') rows.push([command.keys, command.name]);
      else if (command.action.index === 0)
        rows.push([`g then 1–${VIEW_IDS.length}`, 'Switch view']);
    }
    return [group, rows] as const;
  });
