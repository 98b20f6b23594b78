import type { MailingListEntry, MailingListName } from '../storage/privacy-storage';
import type { Storage } from '../storage/storage';

export const MAILING_LIST_FORMATS = ['csv', 'json'] as const;
export type MailingListFormat = (typeof MAILING_LIST_FORMATS)[number];

/** Quotes a CSV cell, and defuses a leading formula character for spreadsheet programs. */
function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/**
 * The recipients of one of the service's own mailings, for the service's own mail run: email and
 * name only, of active users whose preferences allow it. Written locally; nothing is sent anywhere.
 */
export async function exportMailingList(
  storage: Storage,
  list: MailingListName,
  format: MailingListFormat,
): Promise<string> {
  const entries: MailingListEntry[] = await storage.mailingList(list);
  if (format === 'json') return `${JSON.stringify(entries, null, 2)}\n`;
  const lines = entries.map((e) => `${csvCell(e.email)},${csvCell(e.name)}`);
  return ['email,name', ...lines, ''].join('\r\n');
}
