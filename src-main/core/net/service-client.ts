import { Agent as HttpAgent } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';
import type { Readable } from 'node:stream';
import axios, { isAxiosError, isCancel, type AxiosInstance, type AxiosResponse } from 'axios';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import type { z } from 'zod';
import type { LoginEvent } from '../../../src-shared/domain/entities';
import {
  AccountExport,
  ChangeEmailResponse,
  LoginHistoryResponse,
  type ChangeEmailRequest,
  type ChangePasswordRequest,
} from '../../../src-shared/protocol/account';
import {
  SignupResponse,
  TokenResponse,
  type LoginRequest,
  type SignupRequest,
} from '../../../src-shared/protocol/auth';
import { CLIENT_VERSION_HEADER, ClientVersion } from '../../../src-shared/protocol/client-version';
import { ErrorEnvelope } from '../../../src-shared/protocol/errors';
import {
  CLIENT_ID_HEADER,
  PokeEvent,
  PullResponse,
  PushResponse,
  type PushRequest,
} from '../../../src-shared/protocol/sync';
import { TicketSearchResponse, TicketThread } from '../../../src-shared/protocol/tickets';
import { checkedServerOrigin } from './server-url';
import { classifyTransportError, parseRetryAfter, ServiceError } from './service-error';
import { createTlsAgent, type TrustOptions } from './tls-agent';

export interface ServiceTimeouts {
  /** signup, login, refresh, logout. */
  auth: number;
  push: number;
  pull: number;
  /**
   * The events stream: the longest silence (no event, no keep-alive comment) before the stream is
   * taken for dead; the service sends a comment every 25 s. Also bounds the time to connect.
   */
  eventsIdle: number;
}

export const DEFAULT_TIMEOUTS: ServiceTimeouts = {
  auth: 30_000,
  push: 30_000,
  pull: 60_000,
  eventsIdle: 60_000,
};

/** The largest answer read (a pull page of 5000 changes fits many times over). */
export const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;
/** The longest single event (or unterminated line) accepted on the events stream. */
const MAX_EVENT_CHARS = 64 * 1024;
/** The most of an error answer read on the events stream. */
const MAX_ERROR_BODY_BYTES = 64 * 1024;

export interface ServiceClientOptions extends TrustOptions {
  /** The service's origin, e.g. `https://help.example.com`. */
  serverUrl: string;
  /**
   * Allow plain http:// to a loopback address (development only). Plain http to any other host is
   * refused whatever this says.
   */
  allowInsecureLoopback?: boolean;
  timeouts?: Partial<ServiceTimeouts>;
  maxResponseBytes?: number;
  userAgent?: string;
  /**
   * Sent as X-Client-Version when it is a semantic version, so the service can ask for an
   * update (426 upgrade_required).
   */
  clientVersion?: string;
}

/** A token answer whose tokens can be sent back as they are (visible ASCII, bounded). */
const HEADER_SAFE = /^[\x21-\x7e]+$/;
const CheckedTokenResponse = TokenResponse.refine(
  (body) =>
    HEADER_SAFE.test(body.accessToken) &&
    body.accessToken.length <= 8192 &&
    HEADER_SAFE.test(body.refreshToken) &&
    body.refreshToken.length <= 512,
  { message: 'tokens must be visible ASCII, access ≤ 8192 and refresh ≤ 512 characters' },
);

type Method = 'GET' | 'POST';

interface CallSpec<T> {
  method: Method;
  path: string;
  body?: unknown;
  params?: Record<string, string>;
  headers?: Record<string, string>;
  timeoutMs: number;
  /** The one success status this call answers with. */
  expect: number;
  /** null: the success answer has no body. */
  schema: z.ZodType<T> | null;
}

const FALLBACK_CODES: Record<number, { code: string; message: string }> = {
  429: { code: 'rate_limited', message: 'Too many requests. Try again later.' },
  500: { code: 'internal', message: 'The server had a problem. Try again later.' },
  502: { code: 'unavailable', message: 'The service is unavailable. Try again later.' },
  503: { code: 'unavailable', message: 'The service is unavailable. Try again later.' },
  504: { code: 'unavailable', message: 'The service is unavailable. Try again later.' },
};

function headerOf(response: Pick<AxiosResponse, 'headers'>, name: string): string | undefined {
  const value: unknown = response.headers[name];
  const text = Array.isArray(value) ? value[0] : value;
  return typeof text === 'string' ? text : undefined;
}

function describeZodError(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`)
    .join('; ');
}

function parseJson(text: unknown): { ok: true; value: unknown } | { ok: false } {
  if (typeof text !== 'string') return { ok: false };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

/**
 * The client of the hosted service: one https.Agent and one axios instance for one server origin
 * and trust configuration. Every answer is checked against the src-shared schemas; every failure is
 * a {@link ServiceError}.
 */
export class ServiceClient {
  readonly origin: string;
  private readonly agent: HttpsAgent;
  private readonly httpAgent: HttpAgent | undefined;
  private readonly http: AxiosInstance;
  private readonly timeouts: ServiceTimeouts;

  /** Throws ServiceError `insecure_url` for a plain http:// address that is not allowed. */
  constructor(options: ServiceClientOptions) {
    this.origin = checkedServerOrigin(options.serverUrl, options.allowInsecureLoopback ?? false);
    this.timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
    this.agent = createTlsAgent({
      keepAlive: true,
      ...(options.ca ? { ca: options.ca } : {}),
      ...(options.pins ? { pins: options.pins } : {}),
    });
    // Only reachable when checkedServerOrigin allowed plain http (loopback, explicitly).
    this.httpAgent = this.origin.startsWith('http:')
      ? new HttpAgent({ keepAlive: true })
      : undefined;
    this.http = axios.create({
      baseURL: this.origin,
      httpsAgent: this.agent,
      ...(this.httpAgent ? { httpAgent: this.httpAgent } : {}),
      // Environment proxies would take requests off this agent; redirects could leave https.
      proxy: false,
      maxRedirects: 0,
      validateStatus: () => true,
      responseType: 'text',
      transformResponse: [(data: unknown) => data],
      transitional: {
        silentJSONParsing: false,
        forcedJSONParsing: false,
        clarifyTimeoutError: true,
      },
      maxContentLength: options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
      headers: {
        accept: 'application/json',
        'user-agent': options.userAgent ?? 'helpdesk-desktop',
        // Only a semantic version (a development build's 'e2e' is none): the service refuses others.
        ...(ClientVersion.safeParse(options.clientVersion).success
          ? { [CLIENT_VERSION_HEADER]: options.clientVersion! }
          : {}),
      },
    });
  }

  signup(request: SignupRequest): Promise<SignupResponse> {
    return this.call({
      method: 'POST',
      path: '/api/v1/auth/signup',
      body: request,
      timeoutMs: this.timeouts.auth,
      expect: 201,
      schema: SignupResponse,
    });
  }

  login(request: LoginRequest): Promise<TokenResponse> {
    return this.call({
      method: 'POST',
      path: '/api/v1/auth/login',
      body: request,
      timeoutMs: this.timeouts.auth,
      expect: 200,
      schema: CheckedTokenResponse,
    });
  }

  refresh(refreshToken: string, clientId: string): Promise<TokenResponse> {
    return this.call({
      method: 'POST',
      path: '/api/v1/auth/refresh',
      body: { refreshToken, clientId },
      timeoutMs: this.timeouts.auth,
      expect: 200,
      schema: CheckedTokenResponse,
    });
  }

  /** Revokes the refresh token's chain. Answers the same for an unknown or revoked token. */
  async logout(refreshToken: string): Promise<void> {
    await this.call({
      method: 'POST',
      path: '/api/v1/auth/logout',
      body: { refreshToken },
      timeoutMs: this.timeouts.auth,
      expect: 204,
      schema: null,
    });
  }

  /** Log-in history (PROTOCOL extension): one's own (`me`) or, for admins, the tenant's. */
  async loginHistory(
    scope: 'me' | 'tenant',
    accessToken: string,
    limit?: number,
  ): Promise<LoginEvent[]> {
    const response = await this.call({
      method: 'GET',
      path: '/api/v1/account/logins',
      params: { scope, ...(limit === undefined ? {} : { limit: String(limit) }) },
      headers: this.authHeaders(accessToken),
      timeoutMs: this.timeouts.auth,
      expect: 200,
      schema: LoginHistoryResponse,
    });
    return response.events;
  }

  /** Changes the caller's login email (PROTOCOL extension); answers the user with the new one. */
  changeEmail(request: ChangeEmailRequest, accessToken: string): Promise<ChangeEmailResponse> {
    return this.call({
      method: 'POST',
      path: '/api/v1/account/email',
      body: request,
      headers: this.authHeaders(accessToken),
      timeoutMs: this.timeouts.auth,
      expect: 200,
      schema: ChangeEmailResponse,
    });
  }

  /** Changes the caller's password (PROTOCOL extension); their other sessions end. */
  async changePassword(request: ChangePasswordRequest, accessToken: string): Promise<void> {
    await this.call({
      method: 'POST',
      path: '/api/v1/account/password',
      body: request,
      headers: this.authHeaders(accessToken),
      timeoutMs: this.timeouts.auth,
      expect: 204,
      schema: null,
    });
  }

  /** "Export my data" (PROTOCOL extension): everything the service holds about the caller. */
  exportAccount(accessToken: string): Promise<AccountExport> {
    return this.call({
      method: 'GET',
      path: '/api/v1/account/export',
      headers: this.authHeaders(accessToken),
      timeoutMs: this.timeouts.pull,
      expect: 200,
      schema: AccountExport,
    });
  }

  /** `updatedSince` (PROTOCOL extension): a snapshot leaves out tickets updated before it. */
  pull(
    cursor: string,
    limit: number | undefined,
    clientId: string,
    accessToken: string,
    updatedSince?: string | null,
  ): Promise<PullResponse> {
    return this.call({
      method: 'GET',
      path: '/api/v1/sync/pull',
      params: {
        cursor,
        ...(limit === undefined ? {} : { limit: String(limit) }),
        ...(updatedSince ? { updatedSince } : {}),
      },
      headers: this.authHeaders(accessToken, clientId),
      timeoutMs: this.timeouts.pull,
      expect: 200,
      schema: PullResponse,
    });
  }

  /**
   * One ticket with its comments and attachments (PROTOCOL extension), by number or id; null when
   * the service has no such ticket.
   */
  async ticketThread(ref: number | string, accessToken: string): Promise<TicketThread | null> {
    try {
      return await this.call({
        method: 'GET',
        path: `/api/v1/tickets/${encodeURIComponent(String(ref))}`,
        headers: this.authHeaders(accessToken),
        timeoutMs: this.timeouts.pull,
        expect: 200,
        schema: TicketThread,
      });
    } catch (error) {
      if (ServiceError.is(error, 'http') && error.status === 404) return null;
      throw error;
    }
  }

  /** Tickets holding every word of `q` (PROTOCOL extension), most recently updated first. */
  async searchTickets(
    query: { q: string; updatedBefore?: string | null; limit?: number },
    accessToken: string,
  ): Promise<TicketSearchResponse> {
    return this.call({
      method: 'GET',
      path: '/api/v1/tickets',
      params: {
        q: query.q,
        ...(query.updatedBefore ? { updatedBefore: query.updatedBefore } : {}),
        ...(query.limit === undefined ? {} : { limit: String(query.limit) }),
      },
      headers: this.authHeaders(accessToken),
      timeoutMs: this.timeouts.pull,
      expect: 200,
      schema: TicketSearchResponse,
    });
  }

  /**
   * Pushes a batch. The answer's results must be a prefix of the batch, in order (PROTOCOL.md,
   * "Push"); anything else is `bad_response`, so that no result is matched to the wrong mutation.
   */
  async push(request: PushRequest, clientId: string, accessToken: string): Promise<PushResponse> {
    const response = await this.call({
      method: 'POST',
      path: '/api/v1/sync/push',
      body: request,
      headers: this.authHeaders(accessToken, clientId),
      timeoutMs: this.timeouts.push,
      expect: 200,
      schema: PushResponse,
    });
    const sent = request.mutations;
    const prefix =
      response.results.length <= sent.length &&
      response.results.every((result, i) => result.id === sent[i]?.id);
    if (!prefix) {
      throw new ServiceError('bad_response', {
        status: 200,
        reason: 'push results are not a prefix of the batch in order',
      });
    }
    return response;
  }

  /**
   * An attachment's bytes (PROTOCOL extension), at most `maxBytes`: a larger answer is cut off
   * and is `bad_response`. Checking them against the metadata's SHA-256 is the caller's part.
   */
  async downloadAttachment(id: string, accessToken: string, maxBytes: number): Promise<Buffer> {
    const deadline = AbortSignal.timeout(this.timeouts.pull);
    const request = () =>
      this.http.request<Buffer>({
        method: 'GET',
        url: `/api/v1/attachments/${encodeURIComponent(id)}`,
        headers: { ...this.authHeaders(accessToken), accept: '*/*' },
        responseType: 'arraybuffer',
        maxContentLength: maxBytes,
        timeout: this.timeouts.pull,
        signal: deadline,
      });
    let response: AxiosResponse<Buffer>;
    try {
      response = await request().catch((error: unknown) => {
        // A kept-alive connection closed meanwhile (by the service, or a network that came
        // back): Node's advice for an idempotent request is to send it once more, on a new one.
        if (onReusedSocket(error) && !deadline.aborted) return request();
        throw error;
      });
    } catch (error) {
      throw this.transportError(error, deadline.aborted);
    }
    const bytes = Buffer.from(response.data);
    if (response.status !== 200)
      throw this.errorFrom({ ...response, data: bytes.toString('utf8') });
    return bytes;
  }

  /**
   * Listens to the live-updates stream, calling `onPoke` with each checked poke. Resolves when the
   * stream ends normally (the service closes it when the access token expires, or `signal` aborts);
   * rejects with a ServiceError when it cannot be opened, is refused (401…), goes silent for longer
   * than `timeouts.eventsIdle`, breaks, or carries a malformed poke. An exception thrown by
   * `onPoke` ends the stream and rejects with that exception.
   */
  async openEvents(
    accessToken: string,
    onPoke: (poke: PokeEvent) => void,
    signal?: AbortSignal,
  ): Promise<void> {
    if (signal?.aborted) return;
    const controller = new AbortController();
    let timedOut = false;
    let idleTimer: NodeJS.Timeout | undefined;
    const touch = () => {
      clearTimeout(idleTimer);
      idleTimer = setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, this.timeouts.eventsIdle);
    };
    const onCallerAbort = () => controller.abort();
    signal?.addEventListener('abort', onCallerAbort, { once: true });
    touch();
    try {
      let response: AxiosResponse<Readable>;
      try {
        response = await this.http.request<Readable>({
          method: 'GET',
          url: '/api/v1/sync/events',
          headers: { ...this.authHeaders(accessToken), accept: 'text/event-stream' },
          responseType: 'stream',
          // The stream lives as long as the token; each event is bounded by the parser instead.
          maxContentLength: -1,
          signal: controller.signal,
        });
      } catch (error) {
        if (signal?.aborted && !timedOut) return;
        throw this.transportError(error, timedOut);
      }
      const stream = response.data;
      if (response.status !== 200) {
        const text = await readLimited(stream, MAX_ERROR_BODY_BYTES).catch(() => '');
        throw this.errorFrom({ status: response.status, headers: response.headers, data: text });
      }
      const contentType = headerOf(response, 'content-type') ?? '';
      if (!contentType.toLowerCase().startsWith('text/event-stream')) {
        stream.destroy();
        throw new ServiceError('bad_response', {
          status: 200,
          reason: `events answered with content type '${contentType}'`,
        });
      }
      touch();
      await this.readEvents(stream, controller, onPoke, touch, () => timedOut);
    } finally {
      clearTimeout(idleTimer);
      signal?.removeEventListener('abort', onCallerAbort);
    }
  }

  /** Closes the kept-alive connections. The client is not usable after. */
  close(): void {
    this.agent.destroy();
    this.httpAgent?.destroy();
  }

  private readEvents(
    stream: Readable,
    controller: AbortController,
    onPoke: (poke: PokeEvent) => void,
    touch: () => void,
    timedOut: () => boolean,
  ): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      const finish = (error?: unknown) => {
        if (settled) return;
        settled = true;
        controller.signal.removeEventListener('abort', onAbort);
        stream.destroy();
        if (error === undefined) resolve();
        else reject(error);
      };
      const onAbort = () =>
        finish(
          timedOut()
            ? new ServiceError('network', {
                systemCode: 'ETIMEDOUT',
                message: 'The live updates stream went silent.',
              })
            : undefined,
        );
      controller.signal.addEventListener('abort', onAbort, { once: true });
      const parser = createParser({
        maxBufferSize: MAX_EVENT_CHARS,
        onEvent: (event: EventSourceMessage) => {
          if (settled || event.event !== 'poke') return;
          const json = parseJson(event.data);
          const poke = json.ok ? PokeEvent.safeParse(json.value) : null;
          if (!poke?.success) {
            finish(new ServiceError('bad_response', { status: 200, reason: 'malformed poke' }));
            return;
          }
          try {
            onPoke(poke.data);
          } catch (error) {
            finish(error);
          }
        },
        onError: (error) => {
          if (error.type === 'max-buffer-size-exceeded') {
            finish(
              new ServiceError('bad_response', { status: 200, reason: 'event stream too large' }),
            );
          }
        },
      });
      const decoder = new TextDecoder();
      stream.on('data', (chunk: Buffer) => {
        if (settled) return;
        touch();
        parser.feed(decoder.decode(chunk, { stream: true }));
      });
      stream.on('end', () => finish());
      stream.on('error', (error) => {
        if (controller.signal.aborted) return onAbort();
        finish(
          new ServiceError('network', {
            systemCode: 'ECONNRESET',
            message: 'The live updates stream was cut.',
            cause: error,
          }),
        );
      });
      // 'aborted' then 'close' without 'end': the connection dropped mid-stream.
      stream.on('close', () =>
        finish(
          new ServiceError('network', {
            systemCode: 'ECONNRESET',
            message: 'The live updates stream was cut.',
          }),
        ),
      );
    });
  }

  private authHeaders(accessToken: string, clientId?: string): Record<string, string> {
    return {
      authorization: `Bearer ${accessToken}`,
      ...(clientId === undefined ? {} : { [CLIENT_ID_HEADER]: clientId }),
    };
  }

  private async call<T>(spec: CallSpec<T>): Promise<T> {
    const deadline = AbortSignal.timeout(spec.timeoutMs);
    let response: AxiosResponse<string>;
    try {
      response = await this.http.request<string>({
        method: spec.method,
        url: spec.path,
        ...(spec.params ? { params: spec.params } : {}),
        ...(spec.body === undefined ? {} : { data: JSON.stringify(spec.body) }),
        headers: {
          ...spec.headers,
          ...(spec.body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        timeout: spec.timeoutMs,
        signal: deadline,
      });
    } catch (error) {
      throw this.transportError(error, deadline.aborted);
    }
    if (response.status !== spec.expect) throw this.errorFrom(response);
    if (spec.schema === null) return undefined as T;
    const json = parseJson(response.data);
    if (!json.ok) {
      throw new ServiceError('bad_response', {
        status: response.status,
        reason: 'the answer is not JSON',
        ...this.requestIdOf(response),
      });
    }
    const parsed = spec.schema.safeParse(json.value);
    if (!parsed.success) {
      throw new ServiceError('bad_response', {
        status: response.status,
        reason: `the answer does not match the protocol: ${describeZodError(parsed.error)}`,
        ...this.requestIdOf(response),
      });
    }
    return parsed.data;
  }

  private transportError(error: unknown, timedOut: boolean): ServiceError {
    if (isAxiosError(error) && error.code === 'ERR_BAD_RESPONSE') {
      // axios says so for an answer over maxContentLength, and for a body cut off mid-way.
      if (error.message.includes('maxContentLength')) {
        return new ServiceError('bad_response', {
          ...(error.response ? { status: error.response.status } : {}),
          reason: 'the answer is too large',
          cause: error,
        });
      }
      return new ServiceError('network', {
        systemCode: 'ECONNRESET',
        message: 'The connection to the server was lost.',
        cause: error,
      });
    }
    return classifyTransportError(error, timedOut || isCancel(error));
  }

  private requestIdOf(response: Pick<AxiosResponse, 'headers'>): { requestId?: string } {
    const id = headerOf(response, 'x-request-id');
    return id ? { requestId: id.slice(0, 200) } : {};
  }

  /** A non-success answer: the protocol's error envelope, or what its status alone tells. */
  private errorFrom(response: Pick<AxiosResponse, 'status' | 'headers' | 'data'>): ServiceError {
    const { status } = response;
    const retryAfter = parseRetryAfter(headerOf(response, 'retry-after'));
    const common = {
      status,
      ...this.requestIdOf(response),
      ...(retryAfter === null ? {} : { retryAfterSeconds: retryAfter }),
    };
    const json = parseJson(response.data);
    const envelope = json.ok ? ErrorEnvelope.safeParse(json.value) : null;
    if (status >= 400 && envelope?.success) {
      const { code, message, details, lastMutationId, minVersion } = envelope.data.error;
      return new ServiceError('http', {
        ...common,
        code,
        ...(message.trim() ? { message } : {}),
        ...(details ? { details } : {}),
        ...(lastMutationId === undefined ? {} : { lastMutationId }),
        ...(minVersion === undefined ? {} : { minVersion }),
      });
    }
    // Load balancers and proxies answer these without the service's envelope; they still mean
    // "wait and try again", so they are kept as http errors.
    const fallback = FALLBACK_CODES[status];
    if (fallback) return new ServiceError('http', { ...common, ...fallback });
    return new ServiceError('bad_response', {
      ...common,
      reason:
        status >= 400
          ? `status ${status} without an error envelope`
          : `unexpected status ${status}`,
    });
  }
}

/** The request failed on a connection kept alive from an earlier one. */
function onReusedSocket(error: unknown): boolean {
  return (
    isAxiosError(error) &&
    (error.request as { reusedSocket?: boolean } | undefined)?.reusedSocket === true
  );
}

/** Reads a stream as UTF-8 text, at most `limit` bytes. */
function readLimited(stream: Readable, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        stream.destroy();
        resolve(Buffer.concat(chunks).toString('utf8'));
        return;
      }
      chunks.push(chunk);
    });
    stream.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    stream.on('error', reject);
  });
}
