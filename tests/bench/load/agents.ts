/**
 * Simulated agents against a running service: each signs in on its own client (own TLS
 * connection, own client id), starts from the tenant's newest change and then, every `thinkMs`
 * (±50 %), pushes one mutation to a ticket of its own and pulls what everyone changed since its
 * last pull, until `seconds` have passed. A push that fails is sent again with the same ids (the
 * service must apply it exactly once). Afterwards every agent's ticket and comments are read back
 * from the service (a pull from the cursor taken before the start) and compared with what the
 * service acknowledged as applied, and each client's last mutation id as the service recorded it
 * with the last one it acknowledged: every acknowledged mutation is in the service's state, once.
 *
 * Used by `npm run bench` (tests/bench) and the reliability load test; loopback services only.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Comment, Ticket } from '../../../src-shared/domain/entities';
import type { TicketStatus } from '../../../src-shared/domain/enums';
import type { MutationEnvelope, MutationResult } from '../../../src-shared/protocol/sync';
import type { Account, ServiceAddress } from '../client/bench-client';
import { ApiUser, type Mutation } from '../support/api-user';
import { percentiles, type Percentiles } from '../support/stats';

export interface LoadOptions {
  service: ServiceAddress;
  /**
   * Accounts to sign in with, used round-robin (several agents may share one); of one tenant or of
   * several, each tenant checked on its own afterwards.
   */
  accounts: readonly Account[];
  agents: number;
  seconds: number;
  /** Pause between one agent's cycles (default 1000, jittered ±50 %). */
  thinkMs?: number;
  /** Sign-ins at once while the agents start (scrypt makes each one slow on purpose). */
  signInConcurrency?: number;
  log?: (line: string) => void;
}

export interface LoadResult {
  agents: number;
  /** The measured period (from the agents' start to the last one stopping). */
  seconds: number;
  /** Push and pull requests in the period and their latency as the agents saw it. */
  requests: number;
  latencyMs: Percentiles;
  pushes: number;
  pushLatencyMs: Percentiles;
  pulls: number;
  pullLatencyMs: Percentiles;
  /** Mutations sent (at least once), and of those acknowledged as applied. */
  mutations: number;
  acknowledged: number;
  /** Failed sign-ins and requests, and mutations the service answered with other than applied. */
  errors: number;
  /**
   * Acknowledged mutations whose effect the service does not show, effects it shows that were
   * never acknowledged, mutations still unacknowledged after the final retries, and clients whose
   * last mutation id on the service is not the last one acknowledged.
   */
  lost: number;
  /** The first few errors, for the report. */
  errorSamples: string[];
}

const TICKET_STATUSES_CYCLE: TicketStatus[] = ['open', 'pending', 'on_hold', 'solved'];
const LOAD_TAGS = ['load-a', 'load-b'];
const PULL_LIMIT = 1000;
const FINAL_RETRIES = 5;

class Stats {
  readonly latency = { push: [] as number[], pull: [] as number[] };
  errors = 0;
  errorSamples: string[] = [];
  measuring = true;

  error(what: string, error: unknown): void {
    this.errors++;
    if (this.errorSamples.length < 10) {
      const message = error instanceof Error ? error.message : String(error);
      this.errorSamples.push(`${what}: ${message}`);
    }
  }

  async timed<T>(kind: 'push' | 'pull', call: () => Promise<T>): Promise<T> {
    const started = performance.now();
    const result = await call();
    if (this.measuring) this.latency[kind].push(performance.now() - started);
    return result;
  }
}

/** What an agent's ticket must look like on the service, from the mutations acknowledged. */
interface Expected {
  status: TicketStatus;
  tags: Set<string>;
  comments: Set<string>;
}

class Agent {
  private readonly ticketId = randomUUID();
  private readonly contactId = randomUUID();
  private cursor = '';
  private step = 0;
  /** Sent (or to send) and not yet answered: sent again, unchanged, until answered. */
  private unanswered: MutationEnvelope[] = [];
  private created = false;
  readonly expected: Expected = { status: 'new', tags: new Set(), comments: new Set() };
  pushed = 0;
  acknowledged = 0;
  /** The highest mutation id acknowledged, and the client's last one as the last pull said. */
  lastAcknowledged = 0;
  lastOnService = 0;

  constructor(
    private readonly user: ApiUser,
    readonly tenant: string,
    private readonly name: string,
    private readonly stats: Stats,
  ) {}

  get ticket(): string {
    return this.ticketId;
  }

  get pending(): number {
    return this.unanswered.length;
  }

  async start(): Promise<void> {
    this.cursor = await this.user.headCursor();
    this.queue([
      {
        name: 'createContact',
        args: { id: this.contactId, name: `Load requester ${this.name}` },
      },
      {
        name: 'createTicket',
        args: {
          id: this.ticketId,
          subject: `Load test ticket of ${this.name}`,
          description: 'Made by tests/bench/load/agents.ts.',
          requesterId: this.contactId,
        },
      },
    ]);
  }

  private queue(mutations: Mutation[]): void {
    this.unanswered.push(...this.user.number(mutations));
  }

  /** The next change an agent makes to its ticket: a reply, a status, a tag on or off. */
  private nextMutation(): Mutation {
    const i = this.step++;
    switch (i % 3) {
      case 0:
        return {
          name: 'addComment',
          args: {
            id: randomUUID(),
            ticketId: this.ticketId,
            body: `Reply ${i} from ${this.name}`,
            public: i % 2 === 0,
          },
        };
      case 1:
        return {
          name: 'setTicketFields',
          args: {
            ticketId: this.ticketId,
            fields: { status: TICKET_STATUSES_CYCLE[i % TICKET_STATUSES_CYCLE.length]! },
          },
        };
      default: {
        const tag = LOAD_TAGS[i % LOAD_TAGS.length]!;
        const name = this.expected.tags.has(tag) ? 'removeTags' : 'addTags';
        return { name, args: { ticketId: this.ticketId, tags: [tag] } };
      }
    }
  }

  async cycle(): Promise<void> {
    // After a failed push, nothing new is queued until the old ones are answered: the agent's
    // ticket must exist before anything refers to it.
    if (this.unanswered.length === 0 && this.created) this.queue([this.nextMutation()]);
    await this.push();
    await this.pull();
  }

  async push(): Promise<void> {
    if (this.unanswered.length === 0) return;
    const batch = this.unanswered;
    let results: MutationResult[];
    try {
      results = (await this.stats.timed('push', () => this.user.push(batch))).results;
    } catch (error) {
      this.stats.error(`push by ${this.name}`, error);
      return;
    }
    this.pushed = Math.max(this.pushed, batch.at(-1)!.id);
    for (const [i, result] of results.entries()) {
      const processed = result.status === 'duplicate' ? result.original : result;
      if (processed === null || processed.status === 'applied') {
        this.acknowledged++;
        this.lastAcknowledged = batch[i]!.id;
        this.record(batch[i]!);
      } else {
        this.stats.error(`push by ${this.name}`, new Error(JSON.stringify(processed)));
      }
    }
    this.unanswered = batch.slice(results.length);
  }

  private record(mutation: MutationEnvelope): void {
    const args = mutation.args as {
      id?: string;
      fields?: { status?: TicketStatus };
      tags?: string[];
    };
    switch (mutation.name) {
      case 'createTicket':
        this.created = true;
        break;
      case 'addComment':
        this.expected.comments.add(args.id!);
        break;
      case 'setTicketFields':
        this.expected.status = args.fields!.status!;
        break;
      case 'addTags':
        args.tags!.forEach((t) => this.expected.tags.add(t));
        break;
      case 'removeTags':
        args.tags!.forEach((t) => this.expected.tags.delete(t));
        break;
    }
  }

  async pull(): Promise<void> {
    try {
      for (;;) {
        const page = await this.stats.timed('pull', () => this.user.pull(this.cursor, PULL_LIMIT));
        this.cursor = page.cursor;
        this.lastOnService = page.lastMutationId;
        if (!page.hasMore) return;
      }
    } catch (error) {
      this.stats.error(`pull by ${this.name}`, error);
    }
  }

  /** Sends what is still unanswered, a few times, after the period. */
  async flush(): Promise<void> {
    for (let attempt = 0; attempt < FINAL_RETRIES && this.unanswered.length > 0; attempt++) {
      await this.push();
      if (this.unanswered.length > 0) await sleep(500 * (attempt + 1));
    }
  }

  close(): void {
    this.user.close();
  }
}

/** Runs `fn` on every item, at most `limit` at once. */
async function eachLimit<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** Every ticket and comment changed since `cursor`, as the service holds them now. */
async function changesSince(
  user: ApiUser,
  cursor: string,
): Promise<{ tickets: Map<string, Ticket>; comments: Map<string, Comment> }> {
  const tickets = new Map<string, Ticket>();
  const comments = new Map<string, Comment>();
  for (;;) {
    const page = await user.pull(cursor, 5000);
    for (const change of page.changes) {
      if (change.op !== 'upsert') continue;
      if (change.entity === 'ticket') tickets.set(change.id, change.data as unknown as Ticket);
      if (change.entity === 'comment') comments.set(change.id, change.data as unknown as Comment);
    }
    cursor = page.cursor;
    if (!page.hasMore) return { tickets, comments };
  }
}

/** Differences between what an agent was told was applied and what the service shows. */
function lostOf(
  agent: Agent,
  tickets: Map<string, Ticket>,
  comments: Map<string, Comment>,
): number {
  const { expected } = agent;
  const ticket = tickets.get(agent.ticket);
  if (!ticket) return agent.acknowledged + agent.pending;
  const onService = [...comments.values()].filter((c) => c.ticketId === agent.ticket);
  const missing = [...expected.comments].filter((id) => !comments.has(id)).length;
  const unacknowledged = onService.filter((c) => !expected.comments.has(c.id)).length;
  const tags = [...expected.tags].sort().join(',') !== [...ticket.tags].sort().join(',');
  const status = ticket.status !== expected.status;
  const recorded = agent.lastOnService !== agent.lastAcknowledged;
  return agent.pending + missing + unacknowledged + [tags, status, recorded].filter(Boolean).length;
}

export async function runAgents(options: LoadOptions): Promise<LoadResult> {
  const log = options.log ?? (() => undefined);
  const thinkMs = options.thinkMs ?? 1000;
  const stats = new Stats();
  const agents: Agent[] = [];
  // Per tenant: a user who reads it back afterwards, from the head before the start.
  const checkers = new Map<string, { user: ApiUser; startCursor: string }>();
  try {
    for (const account of options.accounts) {
      if (checkers.has(account.tenant)) continue;
      const user = await ApiUser.signIn(options.service, account);
      const startCursor = await user.headCursor().catch((error: unknown) => {
        user.close();
        throw error;
      });
      checkers.set(account.tenant, { user, startCursor });
    }
    log(`signing in ${options.agents} agents…`);
    await eachLimit(
      Array.from({ length: options.agents }, (_, i) => i),
      options.signInConcurrency ?? 8,
      async (i) => {
        let user: ApiUser | null = null;
        try {
          const account = options.accounts[i % options.accounts.length]!;
          user = await ApiUser.signIn(options.service, account);
          const agent = new Agent(user, account.tenant, `agent ${i + 1}`, stats);
          await agent.start();
          agents.push(agent);
        } catch (error) {
          user?.close();
          stats.error(`start of agent ${i + 1}`, error);
        }
      },
    );
    log(`${agents.length} agents for ${options.seconds} s…`);
    const t0 = performance.now();
    const deadline = t0 + options.seconds * 1000;
    await Promise.all(
      agents.map(async (agent) => {
        // Spread the first cycles over one think time: no thundering herd at the start.
        await sleep(Math.random() * thinkMs);
        while (performance.now() < deadline) {
          await agent.cycle();
          const pause = thinkMs * (0.5 + Math.random());
          await sleep(Math.max(0, Math.min(pause, deadline - performance.now())));
        }
      }),
    );
    const seconds = (performance.now() - t0) / 1000;
    stats.measuring = false;
    await Promise.all(agents.map((agent) => agent.flush()));
    // One more pull each: the client's last mutation id as the service recorded it.
    await Promise.all(agents.map((agent) => agent.pull()));
    log('checking the service…');
    let lost = 0;
    for (const [tenant, { user, startCursor }] of checkers) {
      const { tickets, comments } = await changesSince(user, startCursor);
      for (const agent of agents.filter((a) => a.tenant === tenant)) {
        lost += lostOf(agent, tickets, comments);
      }
    }
    for (const sample of stats.errorSamples) log(`load error: ${sample}`);
    const { push, pull } = stats.latency;
    return {
      agents: agents.length,
      seconds,
      requests: push.length + pull.length,
      latencyMs: percentiles([...push, ...pull]),
      pushes: push.length,
      pushLatencyMs: percentiles(push),
      pulls: pull.length,
      pullLatencyMs: percentiles(pull),
      mutations: agents.reduce((sum, a) => sum + a.pushed, 0),
      acknowledged: agents.reduce((sum, a) => sum + a.acknowledged, 0),
      errors: stats.errors,
      lost,
      errorSamples: stats.errorSamples,
    };
  } finally {
    for (const agent of agents) agent.close();
    for (const { user } of checkers.values()) user.close();
  }
}
