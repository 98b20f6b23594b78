import type { AccountExport } from '../../src-shared/protocol/account';
import { SupportAccessEntry } from '../../src-shared/protocol/admin';
import type { Storage } from '../storage/storage';
import { ApiError } from './api-error';
import type { Viewer } from './viewer';

/** Retention keeps these lists short; this only bounds a pathological account. */
const EXPORT_MAX_ROWS = 100_000;

/**
 * "Export my data": everything the service holds about the caller, and only about the caller.
 * Password and token hashes and session ids are never part of it.
 */
export async function exportAccount(
  storage: Storage,
  viewer: Viewer,
  now: Date,
): Promise<AccountExport> {
  const data = await storage.accountData(viewer.tenantId, viewer.userId);
  if (!data) throw new ApiError('unauthorized', 'The session has ended.');
  const logins = await storage.listLoginEvents(viewer.tenantId, viewer.userId, EXPORT_MAX_ROWS);
  const tickets = new Set(data.tickets.map((ticket) => ticket.id));
  const supportAccess = (await storage.listSupportAccess(viewer.tenantId, EXPORT_MAX_ROWS))
    .filter((a) => a.scope === 'ticket_list' || (a.ticketId !== null && tickets.has(a.ticketId)))
    // The schema strips what the entry does not show (ids, tenant).
    .map((a) => SupportAccessEntry.parse(a));
  return { generatedAt: now.toISOString(), ...data, logins, supportAccess };
}
