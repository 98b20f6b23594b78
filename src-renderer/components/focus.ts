/** Element ids the keyboard map moves focus to. */
export const FOCUS_IDS = {
  search: 'search-input',
  list: 'ticket-list',
  pane: 'ticket-pane',
  status: 'ticket-status',
  priority: 'ticket-priority',
  assignee: 'ticket-assignee',
  tag: 'ticket-add-tag',
  comment: 'composer-body',
  sort: 'list-sort',
  attachments: 'first-attachment',
  heldEdit: 'held-reply-edit',
} as const;

/** With a bulk selection, s / p / a / t go to the bulk bar's controls instead of the pane's. */
export const BULK_FOCUS_IDS = {
  status: 'bulk-status',
  priority: 'bulk-priority',
  assignee: 'bulk-assignee',
  tag: 'bulk-add-tag',
} as const;

export function focusElement(id: string): boolean {
  const element = document.getElementById(id);
  element?.focus();
  return element !== null;
}

/** How long a shortcut waits for the control it targets (a ticket's fields while it loads). */
const FOCUS_WAIT_MS = 2000;

/**
 * Focuses the element now or as soon as it appears: `s` or `Enter` pressed right after `j` lands
 * on the ticket being loaded instead of being lost.
 */
export function focusWhenReady(id: string): void {
  if (focusElement(id)) return;
  const observer = new MutationObserver(() => {
    if (focusElement(id)) stop();
  });
  const timer = window.setTimeout(() => stop(), FOCUS_WAIT_MS);
  function stop() {
    observer.disconnect();
    window.clearTimeout(timer);
  }
  observer.observe(document.body, { childList: true, subtree: true });
}
