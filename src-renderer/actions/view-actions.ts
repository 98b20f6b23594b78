import { helpdesk } from '../bridge';
import { parseBridgeError } from '../lib/bridge-error';
import { appStore } from '../state/store';
import { refreshCounts, selectSavedView, selectView } from './list-actions';

/** The agent's saved views (kept in this replica, not synced): save a search, delete one. */

/** Saves `search` as a view named `name` and shows it; answers the problem, or null. */
export async function saveSearchAsView(name: string, search: string): Promise<string | null> {
  let id: string;
  try {
    ({ id } = await helpdesk().saveView({ name, query: { search } }));
  } catch (error) {
    return parseBridgeError(error).message;
  }
  await refreshCounts();
  selectSavedView(id);
  return null;
}

export async function deleteSavedView(id: string): Promise<void> {
  try {
    await helpdesk().deleteView({ id });
  } catch (error) {
    appStore.setState({ notice: parseBridgeError(error).message });
    return;
  }
  const { source, view } = appStore.getState();
  await refreshCounts();
  if (source.kind === 'saved' && source.id === id) selectView(view);
}
