import { parseArgs } from 'node:util';
import { StatsQuery } from '../../src-shared/protocol/admin';
import { usageStats } from '../app/usage-stats';
import { DATABASE_URL_ENV, openExistingStorage } from './open-data-dir';

const usage = 'Usage: tsx src-server/cli/usage-stats.ts --data-dir <D> [--days 30]';

/** Prints the service-wide usage statistics (no identifiers, no small buckets) as JSON. */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { 'data-dir': { type: 'string' }, days: { type: 'string', default: '30' } },
  });
  const query = StatsQuery.safeParse({ days: values.days });
  if (!values['data-dir'] || !query.success) {
    console.error(usage);
    process.exit(2);
  }
  const storage = await openExistingStorage(values['data-dir'], process.env[DATABASE_URL_ENV]);
  try {
    const stats = await usageStats(storage, null, query.data.days, new Date());
    process.stdout.write(`${JSON.stringify(stats, null, 2)}\n`);
  } finally {
    await storage.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
