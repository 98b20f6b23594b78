import { parseArgs } from 'node:util';
import {
  exportMailingList,
  MAILING_LIST_FORMATS,
  type MailingListFormat,
} from '../app/mailing-list';
import { MAILING_LISTS, type MailingListName } from '../storage/privacy-storage';
import { DATABASE_URL_ENV, openExistingStorage } from './open-data-dir';

const usage =
  'Usage: tsx src-server/cli/mailing-list.ts --data-dir <D> --list newsletter|product [--format csv|json]';

const isOneOf = <T extends string>(values: readonly T[], value: string | undefined): value is T =>
  values.includes(value as T);

/** Prints the recipients of one of the service's own mailings to stdout; no network call. */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'data-dir': { type: 'string' },
      list: { type: 'string' },
      format: { type: 'string', default: 'csv' },
    },
  });
  const { list, format } = values;
  if (
    !values['data-dir'] ||
    !isOneOf<MailingListName>(MAILING_LISTS, list) ||
    !isOneOf<MailingListFormat>(MAILING_LIST_FORMATS, format)
  ) {
    console.error(usage);
    process.exit(2);
  }
  const storage = await openExistingStorage(values['data-dir'], process.env[DATABASE_URL_ENV]);
  try {
    process.stdout.write(await exportMailingList(storage, list, format));
  } finally {
    await storage.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
