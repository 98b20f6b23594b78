import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request, type IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../../src-shared/bridge/content-security-policy';
import type { HelpdeskBridge } from '../../../src-shared/bridge/contract';
import { startPreview, type PreviewServer } from '../../../src-main/preview/preview-server';
import { createLoopbackBridge } from '../../../src-renderer/loopback/loopback-client';
import { TempDirs, waitFor } from '../../support/sync-harness';
import { startTestServer, type TestServer } from '../../support/test-server';

/**
 * The browser preview over real HTTP, in front of the real HelpdeskService, keychain and hosted
 * service: every refusal (token, Host, Origin, unknown call, traversal) and the happy path through
 * the very loopback client the browser runs (src-renderer/loopback), here on Node's fetch.
 */

const INDEX_HTML = `<!doctype html>
<html lang="en">
  <head>
    <title>Help desk</title>
    <script type="module" crossorigin src="/assets/app.js"></script>
  </head>
  <body><div id="root"></div></body>
</html>
`;

let t: TestServer;
let preview: PreviewServer;
let port: number;
let bridge: HelpdeskBridge;
const dirs = new TempDirs();

interface RawAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A request exactly as written (no URL normalisation, any Host), as a hostile page could send. */
function raw(
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, method, path, headers: { host: `127.0.0.1:${port}`, ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const auth = () => ({ authorization: `Bearer ${preview.token}` });
const json = { 'content-type': 'application/json' };

function invoke(call: string, input: unknown, headers: Record<string, string> = auth()) {
  return raw('POST', `/__bridge/invoke/${call}`, { ...json, ...headers }, JSON.stringify(input));
}

beforeAll(async () => {
  t = await startTestServer({ demo: true });
  const root = dirs.make('helpdesk-preview-');
  // A file next to the renderer folder that no request may reach.
  writeFileSync(join(root, 'package.json'), '{"secret": "outside the renderer"}');
  const rendererDir = join(root, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), INDEX_HTML);
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log("app");\n');
  preview = await startPreview({
    rendererDir,
    dataDir: join(root, 'data'),
    credentialServiceSuffix: `test-preview-${randomUUID()}`,
    signInDefaults: { serverUrl: t.server.url, tenant: 'acme', email: 'agent1@acme.test' },
  });
  port = Number(new URL(preview.origin).port);
  bridge = createLoopbackBridge({ origin: preview.origin, token: preview.token, fetch });
});

afterAll(async () => {
  await bridge?.signOut({ discardPending: true }).catch(() => undefined);
  await preview?.close();
  await t?.close();
  dirs.cleanup();
});

describe('preview server', () => {
  it('listens on 127.0.0.1 only, with a fresh 32-byte token in its URL', async () => {
    expect(preview.origin).toBe(`http://127.0.0.1:${port}`);
    expect(preview.url).toBe(`${preview.origin}/#token=${preview.token}`);
    expect(Buffer.from(preview.token, 'base64url')).toHaveLength(32);
    const others = [
      '127.0.0.2',
      ...Object.values(networkInterfaces())
        .flat()
        .filter((nic) => nic && nic.family === 'IPv4' && !nic.internal)
        .map((nic) => nic!.address),
    ];
    for (const host of others) {
      const refused = await new Promise<boolean>((resolve) => {
        const socket = connect({ host, port });
        socket.on('connect', () => (socket.destroy(), resolve(false)));
        socket.on('error', () => resolve(true));
      });
      expect(refused, host).toBe(true);
    }
  });

  it('refuses calls without the token or with a wrong one, and runs nothing', async () => {
    const signIn = {
      serverUrl: t.server.url,
      tenant: 'acme',
      email: 'agent1@acme.test',
      password: 'demo-password-1',
      caCertificate: readFileSync(t.server.caPath!, 'utf8'),
    };
    const wrong = `Bearer ${Buffer.alloc(32, 1).toString('base64url')}`;
    const attempts: Record<string, string>[] = [
      {},
      { authorization: wrong },
      { authorization: preview.token },
    ];
    for (const headers of attempts) {
      const answer = await invoke('signIn', signIn, headers);
      expect(answer.status).toBe(401);
      expect(JSON.parse(answer.body)).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    }
    const events = await raw('GET', '/__bridge/events', { authorization: wrong });
    expect(events.status).toBe(401);
    expect(await bridge.getSession({})).toBeNull();
  });

  it('refuses a Host other than its own loopback names (DNS rebinding)', async () => {
    for (const host of ['evil.example', `evil.example:${port}`, `127.0.0.1:${port + 1}`]) {
      const answer = await invoke('getAppInfo', {}, { ...auth(), host });
      expect(answer.status, host).toBe(403);
      expect((await raw('GET', '/', { host })).status, host).toBe(403);
    }
    expect((await invoke('getAppInfo', {}, { ...auth(), host: `localhost:${port}` })).status).toBe(
      200,
    );
  });

  it('refuses a foreign Origin', async () => {
    for (const origin of ['https://evil.example', 'null', `http://127.0.0.1:${port + 1}`]) {
      const answer = await invoke('getAppInfo', {}, { ...auth(), origin });
      expect(answer.status, origin).toBe(403);
    }
    expect((await invoke('getAppInfo', {}, { ...auth(), origin: preview.origin })).status).toBe(
      200,
    );
  });

  it('answers 404 to an unknown call, prototype names included', async () => {
    for (const call of ['deleteEverything', 'toString', '__proto__', 'constructor']) {
      const answer = await invoke(call, {});
      expect(answer.status, call).toBe(404);
    }
  });

  it('answers bad_request to input the contract refuses, and takes JSON only', async () => {
    const answer = await invoke('getTicket', { id: 'not-a-uuid' });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    const text = await raw(
      'POST',
      '/__bridge/invoke/getAppInfo',
      { ...auth(), 'content-type': 'text/plain' },
      '{}',
    );
    expect(text.status).toBe(415);
    const huge = await invoke('mutate', { name: 'x', args: { body: 'x'.repeat(1024 * 1024) } });
    expect(huge.status).toBe(413);
    const broken = await raw('POST', '/__bridge/invoke/getAppInfo', { ...auth(), ...json }, '{');
    expect(broken.status).toBe(400);
  });

  it("answers getAppInfo as the preview shell with the sign-in defaults and the app's version", async () => {
    const version = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string })
      .version;
    await expect(bridge.getAppInfo({})).resolves.toEqual({
      version,
      shell: 'preview',
      signInDefaults: { serverUrl: t.server.url, tenant: 'acme', email: 'agent1@acme.test' },
    });
  });

  it("rejects a call's BridgeError as `[code] message`, as the preload does", async () => {
    await expect(bridge.getSyncStatus({})).rejects.toThrow('[not_signed_in] Please sign in first.');
  });

  it('signs in with the CA, syncs, lists tickets and streams sync status events', async () => {
    const statuses: string[] = [];
    const changes: unknown[] = [];
    const stopStatus = bridge.on('syncStatus', (snapshot) => statuses.push(snapshot.status.state));
    bridge.on('replicaChanged', (payload) => changes.push(payload));
    const session = await bridge.signIn({
      serverUrl: t.server.url,
      tenant: 'acme',
      email: 'agent1@acme.test',
      password: 'demo-password-1',
      caCertificate: readFileSync(t.server.caPath!, 'utf8'),
    });
    expect(session.user.email).toBe('agent1@acme.test');
    const page = await waitFor('tickets in the replica', async () => {
      const result = await bridge.listTickets({});
      return result.tickets.length > 0 && result;
    });
    expect(page.tickets[0]).toHaveProperty('subject');
    await waitFor('a syncStatus event', () => statuses.length > 0);
    await waitFor('a replicaChanged event', () => changes.length > 0);
    stopStatus();
  });

  it('serves index.html with the CSP, the security headers and the bridge script first', async () => {
    const answer = await raw('GET', '/');
    expect(answer.status).toBe(200);
    expect(answer.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(answer.headers['x-content-type-options']).toBe('nosniff');
    expect(answer.headers['referrer-policy']).toBe('no-referrer');
    expect(answer.headers['cache-control']).toBe('no-store');
    const bridgeTag = answer.body.indexOf('<script src="/__preview/bridge.js"></script>');
    expect(bridgeTag).toBeGreaterThan(-1);
    expect(bridgeTag).toBeLessThan(answer.body.indexOf('<script type="module"'));
    expect((await raw('GET', '/index.html')).body).toBe(answer.body);

    const script = await raw('GET', '/__preview/bridge.js');
    expect(script.status).toBe(200);
    expect(script.headers['content-type']).toMatch(/^text\/javascript/);
    expect(script.body).toContain('/__bridge/invoke/');
    expect(script.body).not.toMatch(/\bimport\s*[{*(]|\brequire\(/);

    const asset = await raw('GET', '/assets/app.js');
    expect(asset.body).toBe('console.log("app");\n');
    expect(asset.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect((await raw('HEAD', '/assets/app.js')).status).toBe(200);
  });

  it('refuses every way out of the renderer folder', async () => {
    for (const path of [
      '/../package.json',
      '/%2e%2e/package.json',
      '/assets/../../package.json',
      '/assets/..%2f..%2fpackage.json',
      '/assets/%2e%2e%5c..%5cpackage.json',
      '/..%252fpackage.json',
    ]) {
      const answer = await raw('GET', path);
      expect([403, 404], path).toContain(answer.status);
      expect(answer.body, path).not.toContain('outside the renderer');
    }
    expect((await raw('GET', '/../package.json')).status).toBe(403);
    expect((await raw('GET', '/%2e%2e/package.json')).status).toBe(403);
    expect((await raw('GET', '/assets/missing.js')).status).toBe(404);
  });
});
