import { startPgCluster } from './pg-cluster';

/**
 * vitest globalSetup of vitest.pg.config.ts: one throwaway PostgreSQL cluster for the run; test
 * services each get a database of their own in it (tests/support/test-database.ts). The workers
 * are started after this and inherit the environment. A run ended by Ctrl-C or a kill stops its
 * cluster too, and one killed outright leaves it to the next start to remove (startPgCluster).
 */
export default async function setup(): Promise<() => void> {
  const cluster = await startPgCluster();
  process.env['HELPDESK_TEST_STORAGE'] = 'postgres';
  process.env['HELPDESK_TEST_PG_URL'] = cluster.url;
  return () => cluster.stop();
}
