/**
 * A sync client in its own process, for tests that SIGKILL it mid-way (tests/integration/core/sync/
 * kill.test.ts). Run with tsx and one JSON argument (see ChildConfig): it signs in, opens the
 * replica in `dir` and runs the engine until one cycle ends, printing one line per step on stdout:
 *
 *   pull <n> cursor=<cursor sent> changes=<n> hasMore=<bool>   the service answered a page
 *   page <n> done=<rows> total=<rows>                          a snapshot page was committed
 *   push <n> ids=<first>-<last> results=<status,…>              the service answered a push
 *   pausing                                                    see pauseAfterPull / pauseAfterPush
 *   done state=<state> pending=<n> needsAttention=<n>           the cycle ended
 *
 * Lines are written synchronously (stdout is a pipe), so a line read by the parent describes
 * something that has happened. The `pause…` options hold the process after the service answered
 * the n-th pull or push and before the replica records it, so that a kill lands exactly there.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { ServiceClient } from '../../src-main/core/net/service-client';
import { openReplica } from '../../src-main/core/replica/replica';
import { TokenSession } from '../../src-main/core/session/token-session';
import { SyncEngine, type SyncApi } from '../../src-main/core/sync/sync-engine';
import { MemoryTokens } from './sync-harness';

export interface ChildConfig {
  dir: string;
  serviceUrl: string;
  /** Path of the PEM file of the service's CA. */
  caFile: string;
  tenant: string;
  email: string;
  password?: string;
  pageSize: number;
  pushBatchSize: number;
  pauseAfterPull?: number;
  pauseAfterPush?: number;
}

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

async function main(): Promise<number> {
  const config = JSON.parse(process.argv[2] ?? '{}') as ChildConfig;
  const client = new ServiceClient({ serverUrl: config.serviceUrl, ca: config.caFile });
  const login = await client.login({
    tenant: config.tenant,
    email: config.email,
    password: config.password ?? 'demo-password-1',
  });
  const replica = openReplica(config.dir, {
    serverUrl: config.serviceUrl,
    tenantId: login.tenant.id,
    tenantSlug: login.tenant.slug,
    userId: login.user.id,
    role: login.user.role,
  });
  const tokens = new TokenSession(client, new MemoryTokens(), 'child', () => replica.clientId);
  await tokens.adopt(login);

  let pulls = 0;
  let pushes = 0;
  const hold = async () => {
    say('pausing');
    await sleep(120_000);
  };
  const api: SyncApi = {
    async pull(cursor, limit, clientId, accessToken) {
      const page = await client.pull(cursor, limit, clientId, accessToken);
      pulls += 1;
      say(`pull ${pulls} cursor=${cursor} changes=${page.changes.length} hasMore=${page.hasMore}`);
      if (config.pauseAfterPull === pulls) await hold();
      return page;
    },
    async push(request, clientId, accessToken) {
      const response = await client.push(request, clientId, accessToken);
      pushes += 1;
      const ids = request.mutations.map((m) => m.id);
      const results = response.results.map((r) => r.status).join(',');
      say(`push ${pushes} ids=${ids[0]}-${ids.at(-1)} results=${results}`);
      if (config.pauseAfterPush === pushes) await hold();
      return response;
    },
  };
  const engine = new SyncEngine({
    replica,
    api,
    tokens,
    snapshotPageSize: config.pageSize,
    pageSize: config.pageSize,
    pushBatchSize: config.pushBatchSize,
    backoff: { baseMs: 50, maxMs: 500 },
    pollEveryMs: 3_600_000,
  });
  let pages = 0;
  let last: unknown = null;
  engine.subscribe(({ status }) => {
    // Each committed snapshot page sets a new initial-sync status with a total (other emits repeat
    // it; the one before the first page has no total yet).
    if (status.state === 'initial-sync' && status.total !== null && status !== last) {
      last = status;
      pages += 1;
      say(`page ${pages} done=${status.done} total=${status.total}`);
    }
  });
  const status = await engine.syncNow();
  const counts = replica.counts();
  say(
    `done state=${status.state} pending=${counts.pending} needsAttention=${counts.needsAttention}`,
  );
  if (status.state !== 'idle') say(`reason ${'reason' in status ? status.reason : ''}`);
  await engine.close();
  replica.close();
  client.close();
  return status.state === 'idle' ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(2);
  },
);
