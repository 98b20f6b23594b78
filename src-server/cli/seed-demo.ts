import { randomInt } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ACME, DEMO_PASSWORD, ensureDemoTenant } from '../demo/demo-tenants';
import { generateTickets } from '../demo/generate-tickets';
import { openStorage } from '../storage/open-storage';
import { DATABASE_URL_ENV } from './open-data-dir';

const usage = `Usage: npm run seed:demo -- --data-dir <D> --tickets <N> [--tenant acme] [--agents 20] [--seed S]
       [--database postgres://USER@HOST:PORT/DB (or env HELPDESK_DATABASE_URL; default SQLite in D)]`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'data-dir': { type: 'string' },
      database: { type: 'string' },
      tickets: { type: 'string', default: '1000' },
      tenant: { type: 'string', default: ACME.slug },
      agents: { type: 'string', default: '20' },
      seed: { type: 'string' },
      'comments-per-ticket': { type: 'string', default: '10' },
    },
  });
  const tickets = Number(values.tickets);
  const agents = Number(values.agents);
  // As the service: the URL may carry a password, the environment keeps it out of the process list.
  const databaseUrl = values.database ?? process.env[DATABASE_URL_ENV];
  const dataDir = values['data-dir'];
  if (
    (!dataDir && !databaseUrl) ||
    !Number.isInteger(tickets) ||
    tickets < 0 ||
    !Number.isInteger(agents) ||
    agents < 1
  ) {
    console.error(usage);
    process.exit(2);
  }
  if (dataDir) mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  // On PostgreSQL the data folder holds nothing of the seed's (only the service's TLS and secret).
  const storage = await openStorage({ dataDir: dataDir ?? '', databaseUrl });
  const started = performance.now();
  const now = new Date();
  const slug = values.tenant;
  const { tenant, userIds, created } = await ensureDemoTenant(
    storage,
    {
      ...ACME,
      slug,
      company: slug === ACME.slug ? ACME.company : `${slug} Inc.`,
      domain: `${slug}.test`,
      agents,
    },
    now,
  );
  // A fresh tenant gets reproducible data; more tickets for an existing one need fresh ids.
  const seed = values.seed ? Number(values.seed) : created ? 42 : randomInt(2 ** 31);
  let reported = 0;
  await generateTickets(storage, tenant.id, {
    tickets,
    commentsPerTicket: Number(values['comments-per-ticket']),
    contacts: Math.max(10, Math.ceil(tickets / 5)),
    agentIds: userIds,
    seed,
    now,
    days: 365,
    onProgress: (done) => {
      if (done - reported >= 10_000 || done === tickets) {
        reported = done;
        process.stdout.write(`\r${done} / ${tickets} tickets`);
      }
    },
  });
  await storage.close();
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `\nTenant ${slug}: ${tickets} tickets (about ${values['comments-per-ticket']} comments each) in ${seconds.toFixed(1)} s`,
  );
  console.log(`Sign in as admin@${slug}.test or agent1@${slug}.test with ${DEMO_PASSWORD}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
