import type {
  KeepOfflineMonths,
  OfflineWindow,
  OfflineWindowChange,
} from '../../src-shared/bridge/offline-window';
import type { Ticket } from '../../src-shared/domain/entities';
import { helpdesk } from '../bridge';
import { parseBridgeError } from '../lib/bridge-error';
import { formatCount, ticketNumber } from '../lib/format';
import { appStore } from '../state/store';
import { jumpToTicket } from './list-actions';
import { attempt, type Outcome } from './local-data-actions';

/** "Keep offline" and the older tickets fetched from the service on demand. */

export const loadOfflineWindow = (): Promise<Outcome<OfflineWindow>> =>
  attempt(() => helpdesk().getOfflineWindow({}));

export const changeOfflineWindow = (
  months: KeepOfflineMonths | null,
): Promise<Outcome<OfflineWindowChange>> => attempt(() => helpdesk().setOfflineWindow({ months }));

/** What the local-data screen says once the setting changed. */
export function windowChangeText(change: OfflineWindowChange): string {
  if (change.downloading) return 'Downloading the tickets this adds…';
  if (change.removed === 0) return 'No ticket needed to be removed from this computer.';
  return change.removed === 1
    ? 'One older ticket was removed from this computer.'
    : `${formatCount(change.removed)} older tickets were removed from this computer.`;
}

/**
 * Opens a ticket whether or not it is kept offline: fetched from the service when it is not here.
 * What goes wrong (no such ticket, offline) is said where the ticket would be.
 */
export async function openOnDemand(ref: number | string): Promise<void> {
  try {
    const found = await helpdesk().fetchTicket({ ref });
    if (found) {
      jumpToTicket(found.id);
      return;
    }
    const missing =
      typeof ref === 'number'
        ? `There is no ticket ${ticketNumber(ref)}.`
        : 'This ticket no longer exists.';
    appStore.setState({ openId: null, detail: null, orphanAttention: [], ticketError: missing });
  } catch (error) {
    appStore.setState({
      openId: null,
      detail: null,
      orphanAttention: [],
      ticketError: parseBridgeError(error).message,
    });
  }
}

/** Tickets older than those kept offline whose subject or description hold the search's words. */
export const searchOlderTickets = (text: string): Promise<Outcome<Ticket[]>> =>
  attempt(async () => (await helpdesk().searchOlderTickets({ text })).tickets);
