import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ServiceClient } from '../../../../src-main/core/net/service-client';
import { serviceFailure } from '../../../support/service-errors';
import { startStatusServer, type StatusServer } from '../../../support/status-server';
import { startTestServer, type TestServer } from '../../../support/test-server';

/**
 * Answers the real service does not give on demand (a 503 from a load balancer, HTML, JSON of the
 * wrong shape, hostile tokens, a redirect, an endless body...), from a stand-in server with the
 * service's own certificate. Every one is a typed ServiceError; nothing unchecked gets through.
 */

const CLIENT_ID = randomUUID();
const TOKEN = 'access-token-1';
const JSON_TYPE = { 'content-type': 'application/json' };

let t: TestServer;
let status: StatusServer;
let client: ServiceClient;

const envelope = (code: string, message: string, extra: object = {}) =>
  JSON.stringify({ error: { code, message, ...extra } });

const validPull = {
  changes: [{ seq: 1, entity: 'ticket', id: randomUUID(), op: 'upsert', data: { subject: 'x' } }],
  cursor: 'c1.e.1.1',
  hasMore: false,
  remaining: 0,
  lastMutationId: 0,
  epoch: 'e',
};

const validTokens = {
  accessToken: 'a.b.c',
  expiresIn: 900,
  refreshToken: 'r.s.t',
  user: { id: randomUUID(), name: 'A', email: 'a@acme.test', role: 'agent' },
  tenant: { id: randomUUID(), slug: 'acme', name: 'Acme' },
  epoch: 'e',
};

const pull = () => client.pull('0', 10, CLIENT_ID, TOKEN);
const login = () => client.login({ tenant: 'acme', email: 'a@acme.test', password: 'pw-pw-pw-pw' });

beforeAll(async () => {
  // Only for its data folder: the stand-in uses the service's certificate and CA.
  t = await startTestServer();
  status = await startStatusServer({ dataDir: t.dataDir }, { status: 500 });
  client = new ServiceClient({ serverUrl: status.url, ca: t.ca, maxResponseBytes: 1024 * 1024 });
});

beforeEach(() => {
  status.requests.length = 0;
});

afterAll(async () => {
  client?.close();
  await status?.close();
  await t?.close();
});

describe('what the client sends', () => {
  it('sends the protocol headers and a JSON body', async () => {
    status.answer = { status: 200, headers: JSON_TYPE, body: JSON.stringify(validPull) };
    await client
      .push({ clientId: CLIENT_ID, mutations: [] }, CLIENT_ID, TOKEN)
      .catch(() => undefined);
    await pull();
    const [push, get] = status.requests;
    expect(push?.method).toBe('POST');
    expect(push?.url).toBe('/api/v1/sync/push');
    expect(push?.headers['content-type']).toBe('application/json');
    expect(push?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(push?.headers['x-client-id']).toBe(CLIENT_ID);
    expect(push?.headers['user-agent']).toBe('helpdesk-desktop');
    expect(JSON.parse(push!.body)).toEqual({ clientId: CLIENT_ID, mutations: [] });
    expect(get?.method).toBe('GET');
    expect(get?.url).toBe('/api/v1/sync/pull?cursor=0&limit=10');
  });
});

describe('error statuses', () => {
  it('429 with Retry-After in seconds', async () => {
    status.answer = {
      status: 429,
      headers: { ...JSON_TYPE, 'retry-after': '7' },
      body: envelope('rate_limited', 'Slow down.'),
    };
    const error = await serviceFailure(login());
    expect(error).toMatchObject({
      kind: 'http',
      status: 429,
      code: 'rate_limited',
      message: 'Slow down.',
      retryAfterSeconds: 7,
    });
    expect(error.retryable).toBe(true);
  });

  it('429 with Retry-After as an HTTP date', async () => {
    const at = new Date(Math.ceil((Date.now() + 30_000) / 1000) * 1000);
    status.answer = {
      status: 429,
      headers: { ...JSON_TYPE, 'retry-after': at.toUTCString() },
      body: envelope('rate_limited', 'Slow down.'),
    };
    const error = await serviceFailure(pull());
    expect(error.retryAfterSeconds).toBeGreaterThanOrEqual(28);
    expect(error.retryAfterSeconds).toBeLessThanOrEqual(31);
  });

  it('503 unavailable with Retry-After, from the service', async () => {
    status.answer = {
      status: 503,
      headers: { ...JSON_TYPE, 'retry-after': '2' },
      body: envelope('unavailable', 'Busy.'),
    };
    const error = await serviceFailure(pull());
    expect(error).toMatchObject({
      kind: 'http',
      status: 503,
      code: 'unavailable',
      retryAfterSeconds: 2,
    });
  });

  it('503 with an HTML page (a load balancer) is still unavailable, with its Retry-After', async () => {
    status.answer = {
      status: 503,
      headers: { 'content-type': 'text/html', 'retry-after': '120' },
      body: '<html><body>Service Temporarily Unavailable</body></html>',
    };
    const error = await serviceFailure(pull());
    expect(error).toMatchObject({
      kind: 'http',
      status: 503,
      code: 'unavailable',
      retryAfterSeconds: 120,
    });
    expect(error.message).toBe('The service is unavailable. Try again later.');
  });

  it('426 upgrade_required and unknown codes of a newer service keep their code', async () => {
    status.answer = {
      status: 426,
      headers: JSON_TYPE,
      body: envelope('upgrade_required', 'Update the app.'),
    };
    expect(await serviceFailure(pull())).toMatchObject({
      kind: 'http',
      status: 426,
      code: 'upgrade_required',
    });
    status.answer = {
      status: 400,
      headers: JSON_TYPE,
      body: envelope('brand_new_code', 'Something new.'),
    };
    expect(await serviceFailure(pull())).toMatchObject({
      kind: 'http',
      status: 400,
      code: 'brand_new_code',
    });
  });

  it('an unreadable Retry-After is left out, not guessed', async () => {
    status.answer = {
      status: 503,
      headers: { ...JSON_TYPE, 'retry-after': 'soon' },
      body: envelope('unavailable', 'Busy.'),
    };
    expect((await serviceFailure(pull())).retryAfterSeconds).toBeNull();
  });

  it('an error status without the envelope is a bad_response', async () => {
    status.answer = { status: 401, headers: JSON_TYPE, body: JSON.stringify({ message: 'nope' }) };
    const error = await serviceFailure(pull());
    expect(error).toMatchObject({ kind: 'bad_response', status: 401 });
    expect(error.message).toBe('The server sent an answer this app does not understand.');
  });
});

describe('malformed answers', () => {
  it('a body that is not JSON', async () => {
    status.answer = { status: 200, headers: JSON_TYPE, body: '{"changes": [' };
    const error = await serviceFailure(pull());
    expect(error).toMatchObject({
      kind: 'bad_response',
      status: 200,
      reason: 'the answer is not JSON',
    });
  });

  it('JSON of the wrong shape names the bad fields (for logs)', async () => {
    status.answer = {
      status: 200,
      headers: JSON_TYPE,
      body: JSON.stringify({ ...validPull, changes: 'lots', hasMore: 'no' }),
    };
    const error = await serviceFailure(pull());
    expect(error.kind).toBe('bad_response');
    expect(error.reason).toMatch(/changes/);
    expect(error.reason).toMatch(/hasMore/);
  });

  it('a change with a bad seq or op is refused whole', async () => {
    const bad = { ...validPull, changes: [{ seq: -1, entity: 'ticket', id: 'x', op: 'explode' }] };
    status.answer = { status: 200, headers: JSON_TYPE, body: JSON.stringify(bad) };
    expect((await serviceFailure(pull())).kind).toBe('bad_response');
  });

  it('a valid answer is accepted, unknown fields and entities included, and __proto__ is inert', async () => {
    const body =
      '{"changes":[{"seq":1,"entity":"hologram","id":"h1","op":"upsert","data":' +
      '{"__proto__":{"polluted":true},"beam":1}}],"cursor":"c","hasMore":false,"remaining":0,' +
      '"lastMutationId":0,"epoch":"e","futureField":true}';
    status.answer = { status: 200, headers: JSON_TYPE, body };
    const page = await pull();
    expect(page.changes[0]).toMatchObject({ entity: 'hologram', data: { beam: 1 } });
    const data = page.changes[0]!.op === 'upsert' ? page.changes[0]!.data : {};
    expect(Object.getPrototypeOf(data)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('tokens that could not be sent back in a header are refused', async () => {
    status.answer = {
      status: 200,
      headers: JSON_TYPE,
      body: JSON.stringify({ ...validTokens, accessToken: 'abc\r\nX-Evil: 1' }),
    };
    expect((await serviceFailure(login())).kind).toBe('bad_response');
    status.answer = { status: 200, headers: JSON_TYPE, body: JSON.stringify(validTokens) };
    await expect(login()).resolves.toMatchObject({ accessToken: 'a.b.c' });
  });

  it('a success status other than the documented one', async () => {
    status.answer = { status: 200, headers: JSON_TYPE, body: '{}' };
    const error = await serviceFailure(client.logout('r.s.t'));
    expect(error).toMatchObject({
      kind: 'bad_response',
      status: 200,
      reason: 'unexpected status 200',
    });
  });

  it('a redirect is not followed (it could leave https)', async () => {
    status.answer = { status: 302, headers: { location: 'http://127.0.0.1:1/api/v1/sync/pull' } };
    const error = await serviceFailure(pull());
    expect(error).toMatchObject({ kind: 'bad_response', status: 302 });
    expect(status.requests).toHaveLength(1);
  });

  it('an answer over the size limit', async () => {
    status.answer = { status: 200, headers: JSON_TYPE, body: 'x'.repeat(2 * 1024 * 1024) };
    const error = await serviceFailure(pull());
    expect(error).toMatchObject({ kind: 'bad_response', reason: 'the answer is too large' });
  });

  it('push results that are not the batch, in order, are refused', async () => {
    const mutations = [
      { id: 4, name: 'noop', args: {} },
      { id: 5, name: 'noop', args: {} },
    ];
    const answer = (results: object[]) => ({
      status: 200,
      headers: JSON_TYPE,
      body: JSON.stringify({ results, lastMutationId: 5, epoch: 'e' }),
    });
    const push = () => client.push({ clientId: CLIENT_ID, mutations }, CLIENT_ID, TOKEN);

    status.answer = answer([
      { id: 5, status: 'applied' },
      { id: 4, status: 'applied' },
    ]);
    expect(await serviceFailure(push())).toMatchObject({ kind: 'bad_response' });
    status.answer = answer([
      { id: 4, status: 'applied' },
      { id: 5, status: 'applied' },
      { id: 6, status: 'applied' },
    ]);
    expect(await serviceFailure(push())).toMatchObject({ kind: 'bad_response' });
    status.answer = answer([{ id: 4, status: 'exploded' }]);
    expect(await serviceFailure(push())).toMatchObject({ kind: 'bad_response' });
    // A prefix is fine: the service may answer part of a batch.
    status.answer = answer([{ id: 4, status: 'applied' }]);
    await expect(push()).resolves.toMatchObject({ results: [{ id: 4, status: 'applied' }] });
  });
});

describe('event streams', () => {
  const stream = (body: string, extra: Partial<{ keepOpen: boolean; type: string }> = {}) => ({
    status: 200,
    headers: { 'content-type': extra.type ?? 'text/event-stream' },
    body,
    ...(extra.keepOpen ? { keepOpen: true } : {}),
  });

  it('delivers good pokes, skips other events and comments, and resolves when the stream ends', async () => {
    status.answer = stream(
      ': keep-alive\n\nevent: news\ndata: {"x":1}\n\nevent: poke\r\ndata: {"cursor":"c1.e.0.9"}\r\n\r\n',
    );
    const pokes: unknown[] = [];
    await client.openEvents(TOKEN, (poke) => pokes.push(poke));
    expect(pokes).toEqual([{ cursor: 'c1.e.0.9' }]);
    expect(status.requests[0]?.headers.accept).toBe('text/event-stream');
  });

  it('a malformed poke ends the stream with bad_response', async () => {
    status.answer = stream('event: poke\ndata: {"cursor": 42}\n\n', { keepOpen: true });
    const pokes: unknown[] = [];
    const error = await serviceFailure(client.openEvents(TOKEN, (poke) => pokes.push(poke)));
    expect(error).toMatchObject({ kind: 'bad_response', reason: 'malformed poke' });
    expect(pokes).toEqual([]);
  });

  it('an endless event is cut off with bad_response', async () => {
    status.answer = stream(`event: poke\ndata: ${'x'.repeat(100_000)}`, { keepOpen: true });
    const error = await serviceFailure(client.openEvents(TOKEN, () => undefined));
    expect(error).toMatchObject({ kind: 'bad_response', reason: 'event stream too large' });
  });

  it('a stream that is not text/event-stream is a bad_response', async () => {
    status.answer = stream('{"cursor":"1"}', { type: 'application/json' });
    expect((await serviceFailure(client.openEvents(TOKEN, () => undefined))).kind).toBe(
      'bad_response',
    );
  });

  it('a stream that goes silent is a network error after the idle timeout', async () => {
    const quick = new ServiceClient({
      serverUrl: status.url,
      ca: t.ca,
      timeouts: { eventsIdle: 300 },
    });
    try {
      status.answer = stream('event: poke\ndata: {"cursor":"1"}\n\n', { keepOpen: true });
      const pokes: unknown[] = [];
      const started = Date.now();
      const error = await serviceFailure(quick.openEvents(TOKEN, (poke) => pokes.push(poke)));
      expect(error).toMatchObject({ kind: 'network', systemCode: 'ETIMEDOUT' });
      expect(pokes).toHaveLength(1);
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      quick.close();
    }
  });

  it('an error thrown by the poke handler ends the stream with that error', async () => {
    status.answer = stream('event: poke\ndata: {"cursor":"1"}\n\n', { keepOpen: true });
    const oops = new Error('handler failed');
    await expect(
      client.openEvents(TOKEN, () => {
        throw oops;
      }),
    ).rejects.toBe(oops);
  });
});
