import { randomUUID } from 'node:crypto';
import { Agent } from 'node:https';
import axios, { type AxiosInstance } from 'axios';
import type { TokenResponse } from '../../src-shared/protocol/auth';
import type { MutationEnvelope, PullResponse, PushResponse } from '../../src-shared/protocol/sync';

export interface ApiResponse<T = any> {
  status: number;
  headers: Record<string, string>;
  body: T;
}

export interface CallOptions {
  body?: unknown;
  /** Sent as is, for malformed-input tests. */
  rawBody?: string | Buffer;
  token?: string;
  clientId?: string;
  headers?: Record<string, string>;
}

/** A protocol client for tests: real HTTPS with certificate checks, every status returned. */
export class ApiClient {
  private readonly http: AxiosInstance;

  constructor(
    readonly baseUrl: string,
    ca: string,
    /** Sent as X-Client-Version on every call (a service with a minimum version wants one). */
    private readonly clientVersion?: string,
  ) {
    this.http = axios.create({
      baseURL: baseUrl,
      httpsAgent: new Agent({ ca, keepAlive: false }),
      validateStatus: () => true,
      transformResponse: (data: string) => {
        if (typeof data !== 'string' || data === '') return data;
        try {
          return JSON.parse(data);
        } catch {
          return data;
        }
      },
      maxContentLength: Infinity,
      maxBodyLength: Infinity,
    });
  }

  async call<T = any>(
    method: string,
    path: string,
    options: CallOptions = {},
  ): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = {
      ...(this.clientVersion ? { 'x-client-version': this.clientVersion } : {}),
      ...options.headers,
    };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.clientId) headers['x-client-id'] = options.clientId;
    let data: unknown = options.rawBody;
    if (options.body !== undefined) {
      data = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    } else if (options.rawBody !== undefined) {
      headers['content-type'] ??= 'application/json';
    }
    const response = await this.http.request({
      method,
      url: path,
      data,
      headers,
      transformRequest: [(d: unknown) => d],
    });
    return {
      status: response.status,
      headers: Object.fromEntries(Object.entries(response.headers).map(([k, v]) => [k, String(v)])),
      body: response.data as T,
    };
  }

  async login(
    tenant: string,
    email: string,
    password = 'demo-password-1',
    clientId?: string,
  ): Promise<TokenResponse> {
    const response = await this.call<TokenResponse>('POST', '/api/v1/auth/login', {
      body: { tenant, email, password, ...(clientId ? { clientId } : {}) },
    });
    if (response.status !== 200)
      throw new Error(`login failed: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body;
  }

  /** A signed-in sync client with its own client id. */
  async session(tenant: string, email: string, password = 'demo-password-1'): Promise<SyncSession> {
    return new SyncSession(this, await this.login(tenant, email, password), randomUUID());
  }
}

export class SyncSession {
  nextMutationId = 1;

  constructor(
    readonly api: ApiClient,
    readonly tokens: TokenResponse,
    readonly clientId: string,
  ) {}

  get token(): string {
    return this.tokens.accessToken;
  }

  pull(cursor = '0', limit?: number): Promise<ApiResponse<PullResponse>> {
    const query = new URLSearchParams({ cursor, ...(limit ? { limit: String(limit) } : {}) });
    return this.api.call('GET', `/api/v1/sync/pull?${query}`, {
      token: this.token,
      clientId: this.clientId,
    });
  }

  /** Pulls from `cursor` until hasMore is false; returns every page. */
  async pullAll(cursor = '0', limit?: number): Promise<PullResponse[]> {
    const pages: PullResponse[] = [];
    for (;;) {
      const response = await this.pull(cursor, limit);
      if (response.status !== 200)
        throw new Error(`pull failed: ${response.status} ${JSON.stringify(response.body)}`);
      pages.push(response.body);
      cursor = response.body.cursor;
      if (!response.body.hasMore) return pages;
    }
  }

  push(mutations: MutationEnvelope[]): Promise<ApiResponse<PushResponse>> {
    return this.api.call('POST', '/api/v1/sync/push', {
      token: this.token,
      clientId: this.clientId,
      body: { clientId: this.clientId, mutations },
    });
  }

  /** Numbers the mutations from this session's next id and pushes them. */
  send(...mutations: Array<Omit<MutationEnvelope, 'id'>>): Promise<ApiResponse<PushResponse>> {
    const numbered = mutations.map((m) => ({ ...m, id: this.nextMutationId++ }));
    return this.push(numbered);
  }
}
