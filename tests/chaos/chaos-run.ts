import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { Random } from '../../src-server/demo/random';
import { ensureDevCertificates } from '../../src-server/tls/dev-certificates';
import { openReplica } from '../../src-main/core/replica/replica';
import { accountDir, AccountRegistry } from '../../src-main/core/services/account-registry';
import { leftovers, replicaState, serverState } from '../support/sync-harness';
import { startTestServer, type TestServer } from '../support/test-server';
import { createSmallTenant } from './chaos-tenant';
import { checkRun, type ClientOutcome, type Findings } from './checks';
import type { ChildLaunch } from '../support/child-bundle';
import { bundleClient, ClientProcess } from './client-process';
import { startHttpFaultProxy, type HttpFaultProxy } from './http-fault-proxy';

/**
 * One chaos run (see tests/chaos/chaos.ts): a fresh tenant on a shared service, three clients of
 * it (its admin and two agents), each in its own process behind its own fault proxy. Everything
 * random comes from the run's seed: the clients' edits, which client goes offline, comes back, is
 * killed (now, inside a push, before or after the service commits it, or inside its initial sync)
 * and started again, and each proxy's fault schedule. Then the network heals, every client drains
 * its outbox and pulls once more, and the run is judged (checks.ts).
 */
export interface ChaosEnv {
  t: TestServer;
  root: string;
  work: string;
  launch: ChildLaunch;
  proxyTls: { key: string; cert: string; ca: string };
  close(): Promise<void>;
}

export interface RunResult extends Findings {
  seed: number;
  /** The whole run. */
  ms: number;
  /** From the heal to the last client drained (null when one never did). */
  healToDrainedMs: number | null;
  edits: number;
  kills: number;
  reauths: number;
  faults: Record<string, number>;
  /** A client process that died by itself, or a run that could not be judged. */
  errors: string[];
}

export async function startChaosEnv(root: string): Promise<ChaosEnv> {
  const work = mkdtempSync(join(tmpdir(), 'helpdesk-chaos-'));
  const t = await startTestServer({ logLevel: 'silent' });
  const launch = await bundleClient(root, work);
  const tls = await ensureDevCertificates(join(work, 'proxy-tls'), ['127.0.0.1']);
  return {
    t,
    root,
    work,
    launch,
    proxyTls: { key: tls.key, cert: tls.cert, ca: readFileSync(tls.caPath!, 'utf8') },
    async close() {
      await t.close();
      rmSync(work, { recursive: true, force: true });
    },
  };
}

const USERS = ['admin', 'agent1', 'agent2'] as const;

const DRAIN_MS = 60_000;
let tenants = 0;

type Action = 'edit' | 'offline' | 'kill' | 'kill-in-push' | 'restart' | 'pause';
const ACTIONS: ReadonlyArray<readonly [Action, number]> = [
  ['edit', 6],
  ['offline', 2],
  ['kill', 1],
  ['kill-in-push', 1.5],
  ['restart', 2],
  ['pause', 1.5],
];

export async function runChaos(env: ChaosEnv, seed: number): Promise<RunResult> {
  const rng = new Random(seed);
  const started = Date.now();
  tenants += 1;
  const slug = `chaos-${seed}-${tenants}`;
  const domain = await createSmallTenant(env.t.server.storage, slug, rng.int(3, 8), seed);

  const dir = mkdtempSync(join(env.work, `run-${seed}-`));
  const proxies: HttpFaultProxy[] = [];
  const clients: ClientProcess[] = [];
  const result: RunResult = {
    seed,
    ms: 0,
    lost: [],
    doubled: [],
    diverged: [],
    stuck: [],
    healToDrainedMs: null,
    edits: 0,
    kills: 0,
    reauths: 0,
    faults: {},
    errors: [],
  };
  try {
    for (const [index, user] of USERS.entries()) {
      const proxy = await startHttpFaultProxy({
        targetPort: env.t.server.port,
        targetCa: env.t.ca,
        tls: env.proxyTls,
        seed: rng.int(0, 2 ** 31),
      });
      proxies.push(proxy);
      const client = new ClientProcess(env.launch, env.root, {
        dataDir: join(dir, `client-${index}`),
        serviceUrl: proxy.url,
        ca: env.proxyTls.ca,
        tenant: slug,
        email: `${user}@${domain}`,
        drainMs: DRAIN_MS,
      });
      clients.push(client);
      // Some clients are killed inside their initial sync: at their k-th pull.
      if (rng.next() < 0.4) armKill(proxy, client, /\/sync\/pull/, rng.int(1, 3), rng.pick(STAGES));
      client.start();
    }

    // Signed in before the chaos starts (a loaded machine can take seconds to start a process);
    // the initial syncs go on under the chaos.
    await Promise.all(clients.map((client) => client.whenReady(30_000)));
    let markers = 0;
    const steps = rng.int(8, 16);
    for (let step = 0; step < steps; step++) {
      const index = rng.int(0, clients.length - 1);
      const client = clients[index]!;
      const proxy = proxies[index]!;
      const action = rng.weighted(ACTIONS);
      if (action === 'edit') {
        if (!client.alive || !(await client.whenReady(5_000))) continue;
        for (let n = rng.int(1, 3); n > 0; n--) {
          markers += 1;
          const seedOfEdit = rng.int(0, 2 ** 31);
          await client.ask({ op: 'edit', seed: seedOfEdit, marker: `${seed}-${markers}` }, 10_000);
        }
      } else if (action === 'offline') {
        proxy.offline = !proxy.offline;
      } else if (action === 'kill') {
        client.kill();
      } else if (action === 'kill-in-push') {
        armKill(proxy, client, /\/sync\/push/, 1, rng.pick(STAGES));
      } else if (action === 'restart') {
        client.start();
      } else {
        await sleep(rng.int(0, 300));
      }
    }

    // The network heals: no more faults, every client back and online.
    const healedAt = Date.now();
    for (const proxy of proxies) {
      proxy.faulty = false;
      proxy.offline = false;
      proxy.onRequest = () => true;
    }
    const drainedAt = await Promise.all(
      clients.map(async (client) => {
        client.start();
        const reply = await client.ask({ op: 'drain' }, DRAIN_MS + 30_000);
        return reply === 'drained' ? Date.now() : null;
      }),
    );
    if (drainedAt.every((at) => at !== null)) {
      result.healToDrainedMs = Math.max(...(drainedAt as number[])) - healedAt;
    }
    // One more sync each, once nobody has anything left to push: everyone sees the last pushes.
    await Promise.all(clients.map((client) => client.ask({ op: 'settle' }, 30_000)));
    await Promise.all(clients.map((client) => client.exit()));

    const admin = await serverState(env.t.api, slug, `admin@${domain}`);
    const outcomes: ClientOutcome[] = [];
    for (const [index, client] of clients.entries()) {
      const stored = new AccountRegistry(client.config.dataDir).list()[0];
      if (!stored) {
        result.errors.push(`client ${index}: no session on disk`);
        continue;
      }
      const replica = openReplica(accountDir(client.config.dataDir, stored.id), {
        serverUrl: stored.serverUrl,
        tenantId: stored.tenant.id,
        tenantSlug: stored.tenant.slug,
        userId: stored.user.id,
        role: stored.user.role,
      });
      try {
        outcomes.push({
          name: `client ${index} (${USERS[index]})`,
          edits: client.edits,
          replica: replicaState(replica),
          server: index === 0 ? admin : await serverState(env.t.api, slug, client.config.email),
          needsAttention: replica.needsAttention(),
          outbox: leftovers(replica).outbox,
          held: replica.held.count(),
          drained: drainedAt[index] !== null,
        });
      } finally {
        replica.close();
      }
    }
    Object.assign(result, checkRun(outcomes, admin));
  } catch (error) {
    result.errors.push(error instanceof Error ? (error.stack ?? error.message) : String(error));
  } finally {
    for (const client of clients) {
      client.kill();
      result.edits += client.edits.length;
      result.kills += client.kills;
      result.reauths += client.reauths;
      result.errors.push(...client.crashes);
    }
    for (const proxy of proxies) {
      for (const [kind, n] of Object.entries(proxy.counts)) {
        result.faults[kind] = (result.faults[kind] ?? 0) + n;
      }
      await proxy.close();
    }
    rmSync(dir, { recursive: true, force: true });
  }
  result.ms = Date.now() - started;
  return result;
}

const STAGES = ['arrived', 'answered'] as const;

/**
 * Kills `client` when its `nth` request matching `path` reaches the proxy (`arrived`: before the
 * service sees it) or has been answered by the service (`answered`: committed, not yet delivered).
 * The request itself is then cut.
 */
function armKill(
  proxy: HttpFaultProxy,
  client: ClientProcess,
  path: RegExp,
  nth: number,
  stage: (typeof STAGES)[number],
): void {
  let seen = 0;
  proxy.onRequest = (at, _method, url) => {
    if (at !== stage || !path.test(url)) return true;
    seen += 1;
    if (seen < nth) return true;
    proxy.onRequest = () => true;
    client.kill();
    return false;
  };
}
