import type { AccountExport, PreferenceChange } from '../../src-shared/protocol/account';

/** The service's own mailings: the newsletter (opt-in) and product/company news (opt-out). */
export const MAILING_LISTS = ['newsletter', 'product'] as const;
export type MailingListName = (typeof MAILING_LISTS)[number];

export interface MailingListEntry {
  email: string;
  name: string;
}

export type PreferenceSource = PreferenceChange['source'];

/** What the service holds about one user, as "export my data" returns it (log-ins and support access apart). */
export type AccountData = Omit<AccountExport, 'generatedAt' | 'logins' | 'supportAccess'>;
