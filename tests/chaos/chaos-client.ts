/**
 * One desktop client of a chaos run, in its own process so that the run can SIGKILL it anywhere.
 * It drives the core through its public services (HelpdeskService.invoke), the way the renderer
 * does. Started with one JSON argument (ClientConfig); reads commands from stdin, one JSON object
 * a line, and answers on stdout, one line each (written synchronously: a line the parent reads
 * describes something that has happened):
 *
 *   ready                      signed in (or the last session restored); the engine runs
 *   edit <Edit json>           {"op":"edit"}: an edit is committed locally
 *   skipped                    {"op":"edit"}: nothing to edit yet (the initial sync is under way)
 *   drained                    {"op":"drain"}: nothing pending nor held, the engine idle
 *   stuck <snapshot json>      {"op":"drain"}: still not drained at the deadline
 *   settled                    {"op":"settle"}: one more sync, to pull what others pushed
 *   reauth                     the session had ended; signed in again (the outbox is kept)
 */
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { BridgeError } from '../../src-main/core/services/bridge-error';
import { HelpdeskService } from '../../src-main/core/services/helpdesk-service';
import { FileCredentials } from './file-credentials';
import { planEdit } from './random-edit';

export interface ClientConfig {
  dataDir: string;
  serviceUrl: string;
  /** PEM of the CA that issued the proxy's certificate. */
  ca: string;
  tenant: string;
  email: string;
  drainMs: number;
}

export type ClientCommand =
  | { op: 'edit'; seed: number; marker: string }
  | { op: 'drain' }
  | { op: 'settle' }
  | { op: 'exit' };

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

const config = JSON.parse(process.argv[2] ?? '{}') as ClientConfig;
const service = new HelpdeskService({
  dataDir: config.dataDir,
  credentials: new FileCredentials(join(config.dataDir, 'credentials.json')),
  // Small pages and batches: a tiny tenant still syncs in several steps, so kills land inside.
  engine: {
    backoff: { baseMs: 30, maxMs: 300 },
    pollEveryMs: 3_600_000,
    snapshotPageSize: 5,
    pageSize: 5,
    pushBatchSize: 3,
  },
});

async function signIn(): Promise<void> {
  // Faults hit the sign-in too: try until it goes through.
  for (;;) {
    try {
      await service.invoke('signIn', {
        serverUrl: config.serviceUrl,
        tenant: config.tenant,
        email: config.email,
        password: 'demo-password-1',
        caCertificate: config.ca,
      });
      return;
    } catch {
      // Offline or a fault: the run heals the network sooner or later (or kills this process).
      await sleep(50);
    }
  }
}

async function edit(seed: number, marker: string): Promise<void> {
  // An agent works once the initial sync has brought the tickets: wait for it a little.
  let { tickets } = await service.invoke('listTickets', { limit: 500 });
  for (const waitUntil = Date.now() + 5_000; tickets.length === 0 && Date.now() < waitUntil;) {
    await sleep(100);
    ({ tickets } = await service.invoke('listTickets', { limit: 500 }));
  }
  const contacts = await service.invoke('listContacts', {});
  const plan = planEdit(
    seed,
    marker,
    tickets,
    contacts.map((contact) => contact.id),
  );
  if (!plan) {
    say('skipped nothing to edit');
    return;
  }
  try {
    await service.invoke('mutate', { name: plan.name, args: plan.args });
  } catch (error) {
    // Refused locally (an agent may not delete tickets): nothing was committed.
    if (!(error instanceof BridgeError)) throw error;
    say(`skipped ${error.message}`);
    return;
  }
  say(`edit ${JSON.stringify(plan.edit)}`);
}

async function drain(): Promise<void> {
  const deadline = Date.now() + config.drainMs;
  for (;;) {
    if ((await service.invoke('getSyncStatus', {})).status.state === 'needs-sign-in') {
      await signIn();
      say('reauth');
    }
    // The agent sends every reply held because its ticket changed meanwhile.
    for (const held of await service.invoke('listHeldReplies', {})) {
      try {
        await service.invoke('resolveHeldReply', { id: held.id, action: 'send' });
      } catch (error) {
        // Gone since the list was read: a sync in the background dropped it with its ticket,
        // deleted meanwhile. The next round sees what is held now.
        if (!(error instanceof BridgeError) || error.code !== 'not_found') throw error;
      }
    }
    const snapshot = await service.invoke('syncNow', {});
    if (snapshot.status.state === 'idle' && snapshot.pending === 0 && snapshot.held === 0) {
      say('drained');
      return;
    }
    if (Date.now() > deadline) {
      say(`stuck ${JSON.stringify(snapshot)}`);
      return;
    }
    await sleep(30);
  }
}

async function main(): Promise<void> {
  if (!(await service.restore())) await signIn();
  say('ready');
  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) {
    const command = JSON.parse(line) as ClientCommand;
    if (command.op === 'edit') await edit(command.seed, command.marker);
    else if (command.op === 'drain') await drain();
    else if (command.op === 'settle') {
      await service.invoke('syncNow', {});
      say('settled');
    } else break;
  }
  await service.close();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(
      `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(2);
  },
);
