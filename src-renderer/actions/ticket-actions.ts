import { helpdesk } from '../bridge';
import { parseBridgeError } from '../lib/bridge-error';
import { appStore } from '../state/store';

/** Reads the open ticket and the agents; the writes are in mutations.ts. */

let ticketRequest = 0;

export async function openTicket(id: string): Promise<void> {
  const { detail } = appStore.getState();
  appStore.setState({
    openId: id,
    ticketError: null,
    ...(detail?.ticket.id === id ? {} : { detail: null }),
  });
  await reloadTicket();
}

export async function reloadTicket(): Promise<void> {
  const id = appStore.getState().openId;
  if (id === null) return;
  const request = ++ticketRequest;
  try {
    const detail = await helpdesk().getTicket({ id });
    if (request !== ticketRequest || appStore.getState().openId !== id) return;
    appStore.setState({
      detail,
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
