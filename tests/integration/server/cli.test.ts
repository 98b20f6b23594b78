import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * `npm run server` as a user runs it, spoken to by curl: a client that is not ours, written
 * against PROTOCOL.md only.
 */
const run = promisify(execFile);
const root = resolve(__dirname, '../../..');
const tsx = join(root, 'node_modules/.bin/tsx');
const dataDir = mkdtempSync(join(tmpdir(), 'helpdesk-cli-'));

async function freePort(): Promise<number> {
  return new Promise((done) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => done(port));
    });
  });
}

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function startCli(args: string[]): Promise<Started> {
  const child = spawn(tsx, ['src-server/cli/server.ts', ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  return new Promise((done, fail) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (/Development CA.*\n/.test(output)) done({ child, output: () => output, exited });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then((code) => fail(new Error(`server exited with ${code}: ${output}`)));
  });
}

async function curl(url: string, args: string[] = []): Promise<{ status: number; body: any }> {
  const { stdout } = await run('curl', [
    '-sS',
    '--cacert',
    join(dataDir, 'tls/ca.pem'),
    '-w',
    '\n%{http_code}',
    ...args,
    url,
  ]);
  const lines = stdout.trimEnd().split('\n');
  const status = Number(lines.pop());
  const text = lines.join('\n');
  return { status, body: text ? JSON.parse(text) : null };
}

let port: number;
let server: Started;
let base: string;

beforeAll(async () => {
  port = await freePort();
  base = `https://127.0.0.1:${port}/api/v1`;
  server = await startCli(['--port', String(port), '--data-dir', dataDir, '--demo']);
});

afterAll(async () => {
  // SIGTERM, not SIGKILL: tsx relays it to the server it started, which a SIGKILL of tsx orphans.
  server.child.kill('SIGTERM');
  await server.exited;
  rmSync(dataDir, { recursive: true, force: true });
});

describe('npm run server', () => {
  it('prints the URL and the CA path, and writes owner-only keys', () => {
    expect(server.output()).toContain(`https://127.0.0.1:${port}`);
    expect(server.output()).toContain(join(dataDir, 'tls/ca.pem'));
    for (const key of ['tls/ca-key.pem', 'tls/server-key.pem', 'secret.key']) {
      expect(statSync(join(dataDir, key)).mode & 0o077).toBe(0);
    }
  });

  it('serves the protocol to curl: log in, pull, push', async () => {
    const json = ['-H', 'content-type: application/json'];
    const login = await curl(`${base}/auth/login`, [
      ...json,
      '-d',
      JSON.stringify({ tenant: 'acme', email: 'agent2@acme.test', password: 'demo-password-1' }),
    ]);
    expect(login.status).toBe(200);
    const auth = ['-H', `authorization: Bearer ${login.body.accessToken}`];
    const clientId = randomUUID();
    const pull = await curl(`${base}/sync/pull?cursor=0&limit=100`, [
      ...auth,
      '-H',
      `x-client-id: ${clientId}`,
    ]);
    expect(pull.status).toBe(200);
    expect(pull.body.changes).toHaveLength(100);
    expect(pull.body.hasMore).toBe(true);
    const ticket = pull.body.changes.find((c: { entity: string }) => c.entity === 'ticket');
    const push = await curl(`${base}/sync/push`, [
      ...auth,
      ...json,
      '-H',
      `x-client-id: ${clientId}`,
      '-d',
      JSON.stringify({
        clientId,
        mutations: [{ id: 1, name: 'addTags', args: { ticketId: ticket.id, tags: ['from-curl'] } }],
      }),
    ]);
    expect(push.status).toBe(200);
    expect(push.body.results).toEqual([{ id: 1, status: 'applied' }]);
  });

  it('is refused by a client that does not trust its CA', async () => {
    await expect(run('curl', ['-sS', `${base}/health`])).rejects.toThrow(/certificate/i);
  });

  it('refuses plain HTTP on its port', async () => {
    await expect(
      run('curl', ['-sS', '-m', '5', `http://127.0.0.1:${port}/api/v1/health`]),
    ).rejects.toThrow();
  });

  it('stops cleanly on SIGTERM and reuses its CA on restart', async () => {
    const caBefore = new X509Certificate(readFileSync(join(dataDir, 'tls/ca.pem'))).fingerprint256;
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(server.output()).toContain('SIGTERM: stopping');
    server = await startCli(['--port', String(port), '--data-dir', dataDir, '--demo']);
    expect(new X509Certificate(readFileSync(join(dataDir, 'tls/ca.pem'))).fingerprint256).toBe(
      caBefore,
    );
    expect((await curl(`${base}/health`)).status).toBe(200);
  });

  it('refuses --insecure-http on an address other than loopback', async () => {
    const result = run(
      tsx,
      [
        'src-server/cli/server.ts',
        '--port',
        '0',
        '--data-dir',
        dataDir,
        '--host',
        '0.0.0.0',
        '--insecure-http',
      ],
      {
        cwd: root,
      },
    );
    await expect(result).rejects.toMatchObject({ stderr: expect.stringContaining('loopback') });
  });

  it('refuses a --min-client-version that is not a semantic version, with the usage', async () => {
    const result = run(
      tsx,
      [
        'src-server/cli/server.ts',
        '--port',
        '0',
        '--data-dir',
        dataDir,
        '--min-client-version',
        '2.1',
      ],
      { cwd: root },
    );
    await expect(result).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('[--min-client-version 1.4.0]'),
    });
  });
});
