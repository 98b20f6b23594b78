import type {
  KeepOfflineMonths,
  OfflineWindow,
  OfflineWindowChange,
} from '../../../src-shared/bridge/offline-window';
import { parseSearch } from '../../../src-shared/bridge/ticket-query';
import type { Ticket } from '../../../src-shared/domain/entities';
import { searchWords } from '../../../src-shared/protocol/tickets';
import type { AttachmentCache } from '../attachments/attachment-cache';
import { unreachable } from '../attachments/open-attachment';
import type { ServiceClient } from '../net/service-client';
import type { Replica } from '../replica/replica';
import type { TokenSession } from '../session/token-session';
import type { SyncEngine } from '../sync/sync-engine';
import { evictOutsideWindow, threadRows } from '../sync/window-upkeep';
import { BridgeError } from './bridge-error';

/**
 * The bridge calls of "keep offline: tickets updated in the last N months" over one account:
 * the setting, and the older tickets fetched from the service on demand.
 */
export interface WindowAccount {
  replica: Replica;
  engine: SyncEngine;
  client: ServiceClient;
  tokens: Pick<TokenSession, 'current'>;
  cache: AttachmentCache;
  userId: string;
  now: Date;
}

/** What the agent is told when a ticket outside the window is asked for without the service. */
export const NOT_KEPT_OFFLINE =
  'Older tickets are not kept offline on this computer: connect to fetch them from the service.';

async function fromService<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (unreachable(error)) throw new BridgeError('offline_unavailable', NOT_KEPT_OFFLINE);
    throw error;
  }
}

export function getOfflineWindow(account: Pick<WindowAccount, 'replica'>): OfflineWindow {
  return account.replica.window.state();
}

/**
 * Changes the setting. A narrower window lets tickets go at once (cached attachments no ticket
 * refers to any more go with them) and compacts the file; a wider one than what is here pulls again from 0, keeping
 * every pending change, which brings the tickets it adds.
 */
export async function setOfflineWindow(
  account: WindowAccount,
  months: KeepOfflineMonths | null,
): Promise<OfflineWindowChange> {
  const { replica, engine } = account;
  const wider = replica.window.setMonths(months, account.now);
  if (wider) {
    await engine.betweenCycles(() => replica.restartFromZero());
    return { ...replica.window.state(), removed: 0, downloading: true };
  }
  const { removed, unreferenced } = evictOutsideWindow(replica, account.now);
  account.cache.forget(unreferenced);
  // The file gives the space back only when compacted: the point of a narrower window. (The few
  // tickets let go after each sync leave space that new ones reuse.)
  if (removed > 0) {
    replica.db.exec('VACUUM');
    replica.db.pragma('wal_checkpoint(TRUNCATE)');
  }
  engine.emit();
  return { ...replica.window.state(), removed, downloading: false };
}

/**
 * A ticket by number or id: here already, or fetched whole from the service, written into the
 * replica (so that it opens, and edits, as any other) and kept a day. Null when neither has it.
 */
export async function fetchTicket(
  account: WindowAccount,
  ref: number | string,
): Promise<{ id: string } | null> {
  const { replica, client, tokens } = account;
  const here =
    typeof ref === 'string'
      ? replica.ticket(ref)?.id
      : (replica.db.prepare('SELECT id FROM tickets WHERE number = ?').pluck().get(ref) as
          string | undefined);
  if (here) return { id: here };
  const thread = await fromService(async () => client.ticketThread(ref, await tokens.current()));
  if (!thread) return null;
  replica.db.transaction(() => {
    replica.replaceTickets([thread.ticket.id], threadRows(thread));
    replica.window.markFetched(thread.ticket.id, account.now);
  })();
  account.engine.emit();
  return { id: thread.ticket.id };
}

/**
 * The service's tickets older than what is kept here whose subject or description hold the
 * search's words (its filters, `status:` and the like, apply to the tickets kept offline only).
 */
export async function searchOlderTickets(
  account: WindowAccount,
  text: string,
): Promise<{ tickets: Ticket[] }> {
  const parsed = parseSearch(text, account.userId);
  if (!parsed.ok) throw new BridgeError('bad_request', parsed.message);
  const words = searchWords(parsed.query.text ?? '');
  if (words.length === 0) {
    throw new BridgeError(
      'bad_request',
      'Type a word of 2 characters or more to search older tickets on the service.',
    );
  }
  const { client, tokens, replica } = account;
  return fromService(async () =>
    client.searchTickets(
      { q: words.join(' ').slice(0, 200), updatedBefore: replica.window.keptSince },
      await tokens.current(),
    ),
  );
}
