import { EventEmitter } from 'node:events';
import pg, { type ClientBase } from 'pg';

const CHANNEL = 'helpdesk_changes';
/** How the listening connection shows in pg_stat_activity. */
export const LISTENER_APPLICATION_NAME = 'helpdesk-change-feed';
const RECONNECT_MS = 1_000;
const RECONNECT_MAX_MS = 30_000;

/**
 * Tells watchers when a tenant's change log moved, across every service process on the database:
 * writers NOTIFY inside their transaction (delivered only if it commits, after it commits), and
 * each process LISTENs on one connection of its own. A lost connection is reopened, again and
 * again (backing off to 30 s) until the database answers; then every watched tenant is poked with
 * its current head, which makes good any notification sent while nobody was listening.
 */
export class ChangeFeed {
  private readonly events = new EventEmitter();
  private client: pg.Client | null = null;
  private closed = false;
  private failures = 0;
  private retry: NodeJS.Timeout | undefined;

  constructor(
    private readonly url: string,
    private readonly onError: (error: unknown) => void,
  ) {
    this.events.setMaxListeners(0);
  }

  /** Listens; rejects when the first connection fails (later ones are retried). */
  async start(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.url,
      application_name: LISTENER_APPLICATION_NAME,
    });
    client.on('notification', (message) => {
      const [tenantId, seq] = (message.payload ?? '').split(' ');
      if (tenantId && seq) this.events.emit(tenantId, Number(seq));
    });
    // Only a listening connection's loss counts: a failed first connect rejects instead.
    const onLost = (error?: unknown) => {
      if (this.client !== client) return;
      this.client = null;
      if (error) this.onError(error);
      client.end().catch(() => undefined);
      this.reconnect();
    };
    client.on('error', onLost);
    client.on('end', () => onLost());
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    if (this.closed) {
      await client.end();
      return;
    }
    this.client = client;
    this.failures = 0;
  }

  private reconnect(): void {
    if (this.closed || this.retry) return;
    const delay = Math.min(RECONNECT_MAX_MS, RECONNECT_MS * 2 ** Math.min(this.failures, 5));
    this.retry = setTimeout(() => {
      this.retry = undefined;
      this.start().then(
        () => this.pokeWatched(),
        (error: unknown) => {
          this.failures += 1;
          this.onError(error);
          this.reconnect();
        },
      );
    }, delay);
  }

  /** Every watched tenant's head, read on the listening connection once it listens again. */
  private async pokeWatched(): Promise<void> {
    const tenants = this.events.eventNames().filter((name) => typeof name === 'string');
    if (!this.client || tenants.length === 0) return;
    try {
      const { rows } = await this.client.query<{ id: string; last_seq: string }>(
        'SELECT id, last_seq FROM tenants WHERE id = ANY($1)',
        [tenants],
      );
      for (const row of rows) this.events.emit(row.id, Number(row.last_seq));
    } catch (error) {
      this.onError(error);
    }
  }

  /** Call inside the writing transaction, while it holds the tenant's lock. */
  static async notify(db: ClientBase, tenantId: string, lastSeq: number): Promise<void> {
    await db.query('SELECT pg_notify($1, $2)', [CHANNEL, `${tenantId} ${lastSeq}`]);
  }

  watch(tenantId: string, listener: (lastSeq: number) => void): () => void {
    this.events.on(tenantId, listener);
    return () => this.events.off(tenantId, listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retry);
    this.retry = undefined;
    const client = this.client;
    this.client = null;
    await client?.end();
  }
}
