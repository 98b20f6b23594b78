import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BRIDGE_EVENTS, BRIDGE_INVOKE } from '../../../src-shared/bridge/contract';
import {
  BRIDGE_CALL_NAMES,
  BRIDGE_EVENT_NAMES,
  isBridgeCallName,
} from '../../../src-shared/bridge/bridge-client';
import { createLoopbackBridge } from '../../../src-renderer/loopback/loopback-client';
import { openEventStream } from '../../../src-renderer/loopback/event-stream';
import { takePreviewToken } from '../../../src-renderer/loopback/preview-token';
import { waitFor } from '../../support/sync-harness';

/**
 * The browser side of the loopback bridge on Node's fetch, against a small real HTTP server that
 * plays the preview: call and error shapes, and an event stream that drops and comes back.
 */

let server: Server;
let origin: string;
const seen: { url: string; authorization: string | undefined; body: string }[] = [];
let streams = 0;

beforeAll(async () => {
  server = createServer((request, response: ServerResponse) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      seen.push({ url: request.url ?? '', authorization: request.headers.authorization, body });
      if (request.url === '/__bridge/events') {
        streams += 1;
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        // The first stream delivers one event and drops; the next one stays open.
        response.write(`event: replicaChanged\ndata: {"ticketIds":["s${streams}"]}\n\n`);
        response.write('event: nonsense\ndata: {}\n\n');
        if (streams === 1) response.end();
        return;
      }
      const answers: Record<string, [number, string]> = {
        '/__bridge/invoke/getSession': [200, '{"ok":true,"value":null}'],
        '/__bridge/invoke/getTicket': [
          200,
          '{"ok":false,"error":{"code":"not_signed_in","message":"Please sign in first."}}',
        ],
        '/__bridge/invoke/syncNow': [502, '<html>bad gateway</html>'],
      };
      const [status, text] = answers[request.url ?? ''] ?? [404, ''];
      response.writeHead(status, { 'content-type': 'application/json' }).end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('loopback bridge client', () => {
  it('has exactly the contract calls and events', () => {
    expect([...BRIDGE_CALL_NAMES].sort()).toEqual(Object.keys(BRIDGE_INVOKE).sort());
    expect([...BRIDGE_EVENT_NAMES].sort()).toEqual(Object.keys(BRIDGE_EVENTS).sort());
    expect(isBridgeCallName('toString')).toBe(false);
    const bridge = createLoopbackBridge({ origin, token: 't', fetch });
    expect(Object.keys(bridge).sort()).toEqual([...Object.keys(BRIDGE_INVOKE), 'on'].sort());
  });

  it('posts the input with the token, and rejects errors as `[code] message`', async () => {
    const bridge = createLoopbackBridge({ origin, token: 'tok', fetch });
    await expect(bridge.getSession({})).resolves.toBeNull();
    expect(seen.at(-1)).toEqual({
      url: '/__bridge/invoke/getSession',
      authorization: 'Bearer tok',
      body: '{}',
    });
    const error = await bridge.getTicket({ id: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe('[not_signed_in] Please sign in first.');
    expect((error as { code: string }).code).toBe('not_signed_in');
    await expect(bridge.syncNow({})).rejects.toThrow('[internal] The preview server answered 502.');
    const unreachable = createLoopbackBridge({ origin: 'http://127.0.0.1:1', token: 't', fetch });
    await expect(unreachable.getSession({})).rejects.toThrow('[preview_unreachable]');
    expect(() => bridge.on('nope' as never, () => undefined)).toThrow('Unknown event');
  });

  it('shares one event stream, reconnects after a drop, and stops calling an unsubscribed listener', async () => {
    const bridge = createLoopbackBridge({ origin, token: 'tok', fetch });
    const first: unknown[] = [];
    const second: unknown[] = [];
    const stop = bridge.on('replicaChanged', (payload) => first.push(payload));
    bridge.on('replicaChanged', (payload) => second.push(payload));
    await waitFor('the event after the reconnection', () => second.length >= 2);
    expect(second.slice(0, 2)).toEqual([{ ticketIds: ['s1'] }, { ticketIds: ['s2'] }]);
    expect(streams).toBe(2);
    expect(
      seen
        .filter((r) => r.url === '/__bridge/events')
        .every((r) => r.authorization === 'Bearer tok'),
    ).toBe(true);
    stop();
    expect(first).toEqual(second);
  });

  it('can be closed while it waits to reconnect', async () => {
    const stream = openEventStream({
      url: 'http://127.0.0.1:1/',
      token: 't',
      fetch,
      onEvent: () => undefined,
      backoffMs: { first: 60_000, last: 60_000 },
    });
    stream.close();
  });
});

describe('preview token', () => {
  it('takes the token from the hash, keeps it for reloads and hides it from the address', () => {
    const stored = new Map<string, string>();
    const replaced: string[] = [];
    const place = (hash: string) => ({
      location: { hash, pathname: '/', search: '?a=1' },
      storage: {
        getItem: (key: string) => stored.get(key) ?? null,
        setItem: (key: string, value: string) => void stored.set(key, value),
      },
      history: {
        state: null,
        replaceState: (_s: unknown, _t: string, url?: string | URL | null) =>
          void replaced.push(String(url)),
      },
    });
    expect(takePreviewToken(place(''))).toBeNull();
    expect(takePreviewToken(place('#token=abc_-1'))).toBe('abc_-1');
    expect(replaced).toEqual(['/?a=1']);
    expect(takePreviewToken(place(''))).toBe('abc_-1');
    expect(replaced).toHaveLength(1);
  });
});
