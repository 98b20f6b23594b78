import type { MutationArgs, MutationName } from '../../src-shared/mutators/registry';
import { helpdesk } from '../bridge';
import { parseBridgeError } from '../lib/bridge-error';
import { appStore } from '../state/store';
import { refreshCounts, refreshList } from './list-actions';
import { reloadTicket } from './ticket-actions';

/**
 * Every change the renderer makes, as a named mutator of src-shared run on the replica through the
 * bridge. The replica applies it at once (optimistically) and the sync engine sends it; the ticket
 * and the list are re-read right away rather than at the next replicaChanged.
 */

type Fields = MutationArgs<'setTicketFields'>['fields'];

async function afterChange(): Promise<void> {
  refreshList();
  void refreshCounts();
  await reloadTicket();
}

async function run<N extends MutationName>(name: N, args: MutationArgs<N>): Promise<boolean> {
  try {
    await helpdesk().mutate({ name, args: args as Record<string, unknown> });
  } catch (error) {
    appStore.setState({ ticketError: parseBridgeError(error).message });
    return false;
  }
  appStore.setState({ ticketError: null });
  await afterChange();
  return true;
}

export const setTicketFields = (ticketId: string, fields: Fields) =>
  run('setTicketFields', { ticketId, fields });

export const addTag = (ticketId: string, tag: string) => run('addTags', { ticketId, tags: [tag] });

export const removeTag = (ticketId: string, tag: string) =>
  run('removeTags', { ticketId, tags: [tag] });

export const addComment = (ticketId: string, body: string, isPublic: boolean) =>
  run('addComment', { id: crypto.randomUUID(), ticketId, body, public: isPublic });

/** Takes back the last change (the bridge's undo: dropped if unsent, else compensated). */
export async function undo(): Promise<void> {
  try {
    await helpdesk().undo({});
    appStore.setState({ notice: 'The last change was undone.' });
  } catch (error) {
    appStore.setState({ notice: parseBridgeError(error).message });
    return;
  }
  await afterChange();
}

/** Settles a conflict or a rejected change: keep my value or take the service's. */
export async function resolveAttention(id: number, choice: 'mine' | 'theirs'): Promise<void> {
  try {
    await helpdesk().resolveNeedsAttention({ id, choice });
  } catch (error) {
    appStore.setState({ ticketError: parseBridgeError(error).message });
    return;
  }
  await afterChange();
}
