import { EventEmitter } from 'node:events';
import pg, { type ClientBase } from 'pg';

const CHANNEL = 'helpdesk_changes';
const RECONNECT_MS = 1_000;

/**
 * Tells watchers when a tenant's change log moved, across every service process on the database:
 * writers NOTIFY inside their transaction (delivered only if it commits, after it commits), and
 * each process LISTENs on one connection of its own. A lost connection is reopened; pokes missed
 * meanwhile are made good by clients' next pull (a poke only says "pull now").
 */
export class ChangeFeed {
  private readonly events = new EventEmitter();
  private client: pg.Client | null = null;
  private closed = false;

  constructor(
    private readonly url: string,
    private readonly onError: (error: unknown) => void,
  ) {
    this.events.setMaxListeners(0);
  }

  async start(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url });
    client.on('notification', (message) => {
      const [tenantId, seq] = (message.payload ?? '').split(' ');
      if (tenantId && seq) this.events.emit(tenantId, Number(seq));
    });
    client.on('error', (error) => {
      this.onError(error);
      this.client = null;
      client.end().catch(() => undefined);
      if (!this.closed) setTimeout(() => void this.start().catch(this.onError), RECONNECT_MS);
    });
    await client.connect();
    await client.query(`LISTEN ${CHANNEL}`);
    if (this.closed) await client.end();
    else this.client = client;
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
    await this.client?.end();
    this.client = null;
  }
}
