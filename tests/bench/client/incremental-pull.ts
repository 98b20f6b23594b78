import type { Database } from 'better-sqlite3';
import { TICKET_PRIORITIES, TICKET_STATUSES } from '../../../src-shared/domain/enums';
import { ApiUser, type Mutation } from '../support/api-user';
import type { Account, BenchClient, ServiceAddress } from './bench-client';

interface TicketState {
  id: string;
  status: string;
  priority: string;
  assignee_id: string | null;
}

const other = <T>(values: readonly T[], current: T, i: number): T => {
  const choices = values.filter((v) => v !== current);
  return choices[i % choices.length]!;
};

/** `count` edits of different tickets, each to a value the ticket does not have. */
function edits(db: Database, count: number): { mutations: Mutation[]; tickets: TicketState[] } {
  const tickets = db
    .prepare('SELECT id, status, priority, assignee_id FROM tickets ORDER BY random() LIMIT ?')
    .all(count) as TicketState[];
  if (tickets.length < count) throw new Error(`the replica has only ${tickets.length} tickets`);
  const users = (
    db.prepare("SELECT id FROM base WHERE entity = 'user'").all() as Array<{ id: string }>
  ).map((u) => u.id);
  const mutations = tickets.map((t, i): Mutation => {
    const kind = i % 3;
    const fields =
      kind === 0
        ? { status: other(TICKET_STATUSES, t.status, i) }
        : kind === 1
          ? { priority: other(TICKET_PRIORITIES, t.priority, i) }
          : { assigneeId: other(users, t.assignee_id ?? '', i) };
    return { name: 'setTicketFields', args: { ticketId: t.id, fields } };
  });
  return { mutations, tickets };
}

export interface IncrementalResult {
  ms: number;
  /** The client process's CPU time over the same cycle. */
  cpuMs: number;
  changes: number;
}

/**
 * `count` changes made on the service by another user through the API, then pulled and applied
 * by the synced client (one sync cycle, as after a poke); only that cycle is timed.
 */
export async function measureIncrementalPull(
  client: BenchClient,
  service: ServiceAddress,
  account: Account,
  count: number,
): Promise<IncrementalResult> {
  const { mutations, tickets } = edits(client.replica.db, count);
  const user = await ApiUser.signIn(service, account);
  try {
    const response = await user.push(user.number(mutations));
    const refused = response.results.filter((r) => r.status !== 'applied');
    if (response.results.length !== count || refused.length > 0) {
      throw new Error(`the service applied ${count - refused.length} of ${count} changes`);
    }
  } finally {
    user.close();
  }
  const cursor = client.replica.cursor;
  const started = performance.now();
  const cpu = process.cpuUsage();
  const status = await client.engine.syncNow();
  const ms = performance.now() - started;
  const cpuUsed = process.cpuUsage(cpu);
  if (status.state !== 'idle') throw new Error(`the pull ended ${JSON.stringify(status)}`);
  if (client.replica.cursor === cursor) throw new Error('the pull brought nothing');
  const changed = client.replica.db.prepare(
    'SELECT status, priority, assignee_id FROM tickets WHERE id = ?',
  );
  const applied = tickets.filter((t) => {
    const now = changed.get(t.id) as Omit<TicketState, 'id'>;
    return (
      now.status !== t.status || now.priority !== t.priority || now.assignee_id !== t.assignee_id
    );
  }).length;
  if (applied !== count) throw new Error(`${applied} of ${count} changes reached the replica`);
  return { ms, cpuMs: (cpuUsed.user + cpuUsed.system) / 1000, changes: applied };
}
