/**
 * Initial sync of a large tenant: `tsx tests/bench/initial-sync.ts --data-dir D [--port P]`, where
 * D was filled by `npm run seed:demo`. The service runs in its own process; this process is the
 * client. Prints the time, the longest synchronous slice (one page written and rebased) and the
 * p50/p95 of ticket list and search queries over the result.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ServiceClient } from '../../src-main/core/net/service-client';
import { openReplica } from '../../src-main/core/replica/replica';
import { listTickets, searchTickets } from '../../src-main/core/replica/ticket-queries';
import { TicketListQuery } from '../../src-shared/bridge/ticket-query';
import { TokenSession } from '../../src-main/core/session/token-session';
import { SyncEngine } from '../../src-main/core/sync/sync-engine';

const { values } = parseArgs({
  options: { 'data-dir': { type: 'string' }, port: { type: 'string', default: '18555' } },
});
const dataDir = values['data-dir']!;
const port = values.port!;

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function main(): Promise<void> {
  const server = spawn(
    'node_modules/.bin/tsx',
    ['src-server/cli/server.ts', '--port', port, '--data-dir', dataDir],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, LOG_LEVEL: 'warn' },
    },
  );
  await new Promise<void>((resolve) => {
    let out = '';
    server.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('Development CA')) resolve();
    });
  });
  const url = `https://127.0.0.1:${port}`;
  const api = new ServiceClient({
    serverUrl: url,
    ca: readFileSync(join(dataDir, 'tls/ca.pem'), 'utf8'),
  });
  const login = await api.login({
    tenant: 'acme',
    email: 'agent1@acme.test',
    password: 'demo-password-1',
  });
  const dir = mkdtempSync(join(tmpdir(), 'bench-replica-'));
  const replica = openReplica(dir, {
    serverUrl: url,
    tenantId: login.tenant.id,
    tenantSlug: 'acme',
    userId: login.user.id,
    role: login.user.role,
  });
  const store = new Map<string, string>();
  const tokens = new TokenSession(
    api,
    { get: async (a) => store.get(a) ?? null, set: async (a, s) => void store.set(a, s) },
    'bench',
    () => replica.clientId,
  );
  await tokens.adopt(login);
  const slices: number[] = [];
  const apply = replica.applyPullPage.bind(replica);
  replica.applyPullPage = (page) => {
    const started = performance.now();
    const outcome = apply(page);
    slices.push(performance.now() - started);
    return outcome;
  };
  const engine = new SyncEngine({ replica, api, tokens });
  const started = performance.now();
  const status = await engine.syncNow();
  const seconds = (performance.now() - started) / 1000;
  const rows = (replica.db.prepare('SELECT count(*) AS n FROM base').get() as { n: number }).n;
  const tickets = (replica.db.prepare('SELECT count(*) AS n FROM tickets').get() as { n: number })
    .n;
  console.log(
    JSON.stringify({
      status: status.state,
      seconds: Number(seconds.toFixed(1)),
      rows,
      tickets,
      pages: slices.length,
      longestSliceMs: Math.round(Math.max(...slices)),
      sliceP95Ms: Math.round(percentile(slices, 95)),
    }),
  );
  const me = login.user.id;
  const lists = [
    {},
    { status: ['open'] },
    { status: ['new', 'open', 'pending'], sort: { field: 'priority', direction: 'desc' } },
    { mine: true },
    { mine: true, status: ['open', 'pending'] },
    { unassigned: true },
    { tag: ['vip'] },
    { priority: ['urgent'], sort: { field: 'createdAt', direction: 'asc' } },
    { sort: { field: 'number', direction: 'desc' } },
    { needsAttention: true },
  ] as const;
  const searches = [
    'printer',
    'status:open printer jam',
    'tag:vip refund',
    'assignee:me vpn',
    'invoice wrong amount',
    'is:unassigned laptop',
    'müller',
    '"cannot log in"',
  ];
  const listMs: number[] = [];
  const searchMs: number[] = [];
  for (let round = 0; round < 20; round++) {
    for (const query of lists) {
      const t0 = performance.now();
      listTickets(replica.db, TicketListQuery.parse({ ...query, limit: 100 }), me);
      listMs.push(performance.now() - t0);
    }
    for (const text of searches) {
      const t0 = performance.now();
      const result = searchTickets(replica.db, text, me, { limit: 100 });
      if (!result.ok) throw new Error(result.message);
      searchMs.push(performance.now() - t0);
    }
  }
  const fmt = (samples: number[]) => ({
    p50: Number(percentile(samples, 50).toFixed(1)),
    p95: Number(percentile(samples, 95).toFixed(1)),
  });
  console.log(JSON.stringify({ listMs: fmt(listMs), searchMs: fmt(searchMs) }));
  replica.close();
  api.close();
  server.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
