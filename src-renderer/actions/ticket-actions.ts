import type { Contact } from '../../src-shared/domain/entities';
import { helpdesk } from '../bridge';
import { parseBridgeError } from '../lib/bridge-error';
import { appStore } from '../state/store';

/** Reads the open ticket, the agents, contacts, macros and held replies; writes are in mutations.ts. */

let ticketRequest = 0;

export async function openTicket(id: string): Promise<void> {
  const { detail } = appStore.getState();
  appStore.setState({
    openId: id,
    ticketError: null,
    ...(detail?.ticket.id === id ? {} : { detail: null, orphanAttention: [] }),
  });
  await reloadTicket();
  await fetchIfMissing(id);
}

/** A ticket not here (a link to one not kept offline, a notification): the service may have it. */
async function fetchIfMissing(id: string): Promise<void> {
  const { openId, detail, ticketError } = appStore.getState();
  if (openId !== id || detail !== null || ticketError === null) return;
  try {
    if (await helpdesk().fetchTicket({ ref: id })) await reloadTicket();
  } catch (error) {
    if (appStore.getState().openId === id)
      appStore.setState({ ticketError: parseBridgeError(error).message });
  }
}

export async function reloadTicket(): Promise<void> {
  const id = appStore.getState().openId;
  if (id === null) return;
  const request = ++ticketRequest;
  try {
    const detail = await helpdesk().getTicket({ id });
    const orphanAttention =
      detail === null
        ? (await helpdesk().listNeedsAttention({})).filter(
            (item) => item.entity === 'ticket' && item.entityId === id,
          )
        : [];
    if (request !== ticketRequest || appStore.getState().openId !== id) return;
    appStore.setState({
      detail,
      orphanAttention,
      ticketError: detail === null ? 'This ticket no longer exists.' : null,
    });
  } catch (error) {
    if (request === ticketRequest)
      appStore.setState({ ticketError: parseBridgeError(error).message });
  }
}

export async function loadUsers(): Promise<void> {
  try {
    appStore.setState({ users: await helpdesk().listUsers({}) });
  } catch {
    // Keeps the agents it had; the assignee select still shows the current one.
  }
}

export const setComposePublic = (composePublic: boolean) => appStore.setState({ composePublic });

/** The tenant's macros as the replica has them (admins define them on the service). */
export async function loadMacros(): Promise<void> {
  try {
    appStore.setState({ macros: await helpdesk().listMacros({}) });
  } catch (error) {
    appStore.setState({ notice: parseBridgeError(error).message });
  }
}

/**
 * The ticket of the oldest change that needs attention (the caller opens it, even one that no
 * longer exists: its pane shows the change), or null when none does.
 */
export async function nextAttentionTicket(): Promise<string | null> {
  try {
    const first = (await helpdesk().listNeedsAttention({})).find(
      (item) => item.entity === 'ticket' && item.entityId !== null,
    );
    if (!first) appStore.setState({ notice: 'No change of a ticket needs attention.' });
    return first?.entityId ?? null;
  } catch (error) {
    appStore.setState({ notice: parseBridgeError(error).message });
    return null;
  }
}

/** The ticket of the oldest held reply (the caller opens it), or null when none is held. */
export async function nextHeldTicket(): Promise<string | null> {
  try {
    const [first] = await helpdesk().listHeldReplies({});
    if (!first) appStore.setState({ notice: 'No reply is held.' });
    return first?.ticketId ?? null;
  } catch (error) {
    appStore.setState({ notice: parseBridgeError(error).message });
    return null;
  }
}

export const editHeldReply = (heldEditing: number | null) => appStore.setState({ heldEditing });

/** The tenant's contacts by name (those created here included), or null when they cannot be read. */
export async function loadContacts(): Promise<Contact[] | null> {
  try {
    return (await helpdesk().listContacts({})).sort((a, b) => a.name.localeCompare(b.name));
  } catch {
    return null;
  }
}
