import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Attachment, Ticket } from '../../../src-shared/domain/entities';
import type { MutationArgs } from '../../../src-shared/mutators/registry';
import type { MutationEnvelope } from '../../../src-shared/protocol/sync';
import type { ApiClient, SyncSession } from '../../support/api-client';
import { customerWrites } from '../../support/customer-writes';
import { serverState } from '../../support/sync-harness';
import { startTestServer, type TestServer } from '../../support/test-server';

export const TENANT = 'acme';
export const AGENT = { email: 'agent1@acme.test', password: 'demo-password-1' } as const;
export const ADMIN_EMAIL = 'admin@acme.test';

/**
 * The demo service over HTTPS for one test, which can be stopped (the desktop goes offline) and
 * started again on the same port, data folder and development CA (it comes back).
 */
export class HostedService {
  private running: TestServer | null;

  private constructor(
    running: TestServer,
    readonly dataDir: string,
  ) {
    this.running = running;
    this.port = running.server.port;
    this.url = running.server.url;
    this.caPath = running.server.caPath ?? '';
    this.ca = running.ca;
  }

  readonly port: number;
  readonly url: string;
  /** The development CA's PEM file (kept across restarts: it lives in the data folder). */
  readonly caPath: string;
  readonly ca: string;

  static async start(): Promise<HostedService> {
    const dataDir = mkdtempSync(join(tmpdir(), 'helpdesk-e2e-service-'));
    return new HostedService(await startTestServer({ demo: true, dataDir }), dataDir);
  }

  private get server(): TestServer {
    if (!this.running) throw new Error('the service is stopped');
    return this.running;
  }

  get api(): ApiClient {
    return this.server.api;
  }

  get storage(): TestServer['server']['storage'] {
    return this.server.server.storage;
  }

  async stop(): Promise<void> {
    const running = this.server;
    this.running = null;
    await running.close();
  }

  /** Starts it again; `minClientVersion` makes it refuse older apps (426 upgrade_required). */
  async restart(options: { minClientVersion?: string } = {}): Promise<void> {
    if (this.running) throw new Error('the service is already running');
    this.running = await startTestServer({ dataDir: this.dataDir, port: this.port, ...options });
  }

  /** A signed-in protocol client of the admin: another desktop, as the service sees it. */
  adminSession(): Promise<SyncSession> {
    return this.api.session(TENANT, ADMIN_EMAIL);
  }

  /** Runs mutations as the admin on another client; fails unless the service applied each one. */
  async changeAsAdmin(...mutations: Array<Omit<MutationEnvelope, 'id'>>): Promise<void> {
    const session = await this.adminSession();
    const response = await session.send(...mutations);
    const applied =
      response.status === 200 && response.body.results.every((r) => r.status === 'applied');
    if (!applied) {
      throw new Error(`push refused: ${response.status} ${JSON.stringify(response.body)}`);
    }
  }

  /** An admin defines a macro on the service (every replica pulls it). */
  async saveMacro(macro: Omit<MutationArgs<'saveMacro'>, 'id'>): Promise<string> {
    const id = randomUUID();
    await this.changeAsAdmin({ name: 'saveMacro', args: { id, ...macro } });
    return id;
  }

  /**
   * The requester writes a public comment on a ticket (as mail coming in would): the service
   * records it with no author, and the ticket is updated.
   */
  async customerWrites(ticketId: string, body: string): Promise<void> {
    const session = await this.adminSession();
    const ticket = (await this.state()).tickets.get(ticketId);
    if (!ticket) throw new Error(`the service has no ticket ${ticketId}`);
    await customerWrites(this.storage, session.tokens.tenant.id, ticket, body);
  }

  /** An agent attaches a file to a ticket through the API (its metadata then syncs). */
  async attach(ticketId: string, name: string, content: Buffer, type: string): Promise<Attachment> {
    const { accessToken } = await this.api.login(TENANT, ADMIN_EMAIL);
    const response = await this.api.call<{ attachment: Attachment }>(
      'POST',
      `/api/v1/tickets/${ticketId}/attachments?name=${encodeURIComponent(name)}`,
      { token: accessToken, rawBody: content, headers: { 'content-type': type } },
    );
    if (response.status !== 201)
      throw new Error(`upload refused: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body.attachment;
  }

  /** What the service holds now, as the admin sees it from a pull from 0. */
  state(): ReturnType<typeof serverState> {
    return serverState(this.api, TENANT, ADMIN_EMAIL);
  }

  async ticketByNumber(number: number): Promise<Ticket> {
    const { tickets } = await this.state();
    const ticket = [...tickets.values()].find((t) => t.number === number);
    if (!ticket) throw new Error(`the service has no ticket #${number}`);
    return ticket;
  }

  /** The agents' and admin's ids, as the admin pulls them. */
  async userIds(): Promise<Map<string, string>> {
    const { rows } = await this.state();
    const ids = new Map<string, string>();
    for (const [key, data] of rows) {
      const user = data as { id: string; email: string };
      if (key.startsWith('user:')) ids.set(user.email, user.id);
    }
    return ids;
  }

  async dispose(): Promise<void> {
    if (this.running) await this.stop();
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}
