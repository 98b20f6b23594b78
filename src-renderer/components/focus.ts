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
} as const;

export function focusElement(id: string): boolean {
  const element = document.getElementById(id);
  element?.focus();
  return element !== null;
}
