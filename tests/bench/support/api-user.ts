import { randomUUID } from 'node:crypto';
import { ServiceClient } from '../../../src-main/core/net/service-client';
import { TokenSession } from '../../../src-main/core/session/token-session';
import { MemoryCredentialStore } from '../../../src-main/preview/preview-credentials';
import type {
  MutationEnvelope,
  PullResponse,
  PushResponse,
} from '../../../src-shared/protocol/sync';
import type { Account, ServiceAddress } from '../client/bench-client';

export type Mutation = Omit<MutationEnvelope, 'id'>;

/**
 * Another desktop as the service sees it, without a replica: one user on one client id, talking
 * the sync protocol through the app's own ServiceClient and TokenSession.
 */
export class ApiUser {
  private nextMutationId = 1;

  private constructor(
    readonly api: ServiceClient,
    private readonly tokens: TokenSession,
    readonly clientId: string,
    readonly userId: string,
  ) {}

  static async signIn(service: ServiceAddress, account: Account): Promise<ApiUser> {
    const api = new ServiceClient({ serverUrl: service.url, ca: service.ca });
    try {
      const login = await api.login(account);
      const clientId = randomUUID();
      const tokens = new TokenSession(api, new MemoryCredentialStore(), 'bench', () => clientId);
      await tokens.adopt(login);
      return new ApiUser(api, tokens, clientId, login.user.id);
    } catch (error) {
      api.close();
      throw error;
    }
  }

  /** The next mutation ids, in order (sent again unchanged after a failure: exactly once). */
  number(mutations: readonly Mutation[]): MutationEnvelope[] {
    return mutations.map((m) => ({ ...m, id: this.nextMutationId++ }));
  }

  async push(mutations: MutationEnvelope[]): Promise<PushResponse> {
    const token = await this.tokens.current();
    return this.api.push({ clientId: this.clientId, mutations }, this.clientId, token);
  }

  async pull(cursor: string, limit: number): Promise<PullResponse> {
    return this.api.pull(cursor, limit, this.clientId, await this.tokens.current());
  }

  /** The cursor of the tenant's newest change: the first poke of the live-updates stream. */
  async headCursor(): Promise<string> {
    const controller = new AbortController();
    let cursor: string | null = null;
    await this.api.openEvents(
      await this.tokens.current(),
      (poke) => {
        cursor ??= poke.cursor;
        controller.abort();
      },
      controller.signal,
    );
    if (cursor === null) throw new Error('the events stream ended before its first poke');
    return cursor;
  }

  close(): void {
    this.api.close();
  }
}
