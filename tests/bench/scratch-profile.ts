import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BenchClient } from './client/bench-client';
import { seedService, startService } from './support/processes';
import { listTickets } from '../../src-main/core/replica/ticket-queries';

const N = Number(process.argv[2] ?? 5000);
const sync = process.argv[3] ?? 'FULL';
const log = (l: string) => console.error(l);
const work = mkdtempSync(path.join(tmpdir(), 'scratch-'));
await seedService(path.join(work, 'svc'), N, log);
const service = await startService(path.join(work, 'svc'), log);
const client = await BenchClient.signIn(
  service,
  { tenant: 'acme', email: 'agent1@acme.test', password: 'demo-password-1' },
  path.join(work, 'c'),
);
client.replica.db.pragma(`synchronous = ${sync}`);
const t = { pull: 0, apply: 0, refresh: 0, rebase: 0, pages: 0 };
const api = client.api;
const pull = api.pull.bind(api);
api.pull = async (...a) => {
  const s = performance.now();
  const r = await pull(...a);
  t.pull += performance.now() - s;
  return r;
};
const r = client.replica;
const apply = r.applyPullPage.bind(r);
r.applyPullPage = (p) => {
  const s = performance.now();
  const o = apply(p);
  t.apply += performance.now() - s;
  t.pages++;
  return o;
};
const refresh = r.projection.refresh.bind(r.projection);
r.projection.refresh = (ids) => {
  const s = performance.now();
  refresh(ids);
  t.refresh += performance.now() - s;
};
const s0 = performance.now();
await client.engine.syncNow();
listTickets(r.db, { limit: 100 }, client.userId);
console.log(JSON.stringify({ N, sync, total: performance.now() - s0, ...t }));
for (const k of Object.keys(t)) (t as Record<string, number>)[k] = 0;
const st = (
  r.projection as unknown as {
    statements: Record<string, Record<string, (...a: unknown[]) => unknown>>;
  }
).statements;
const per: Record<string, number> = {};
for (const [name, stmt] of Object.entries(st))
  for (const m of ['run', 'get', 'all']) {
    const f = stmt[m]!.bind(stmt);
    stmt[m] = (...a: unknown[]) => {
      const s = performance.now();
      const x = f(...a);
      per[name] = (per[name] ?? 0) + performance.now() - s;
      return x;
    };
  }
process.on('exit', () => console.log(JSON.stringify(per)));
const { measureIncrementalPull } = await import('./client/incremental-pull');
const inc = await measureIncrementalPull(
  client,
  service,
  { tenant: 'acme', email: 'agent2@acme.test', password: 'demo-password-1' },
  1000,
);
console.log(JSON.stringify({ inc, ...t }));
const { measureMutations } = await import('./client/mutations');
const { percentiles } = await import('./support/stats');
console.log(JSON.stringify(percentiles(measureMutations(r, 1000))));
await client.close();
await service.stop();
