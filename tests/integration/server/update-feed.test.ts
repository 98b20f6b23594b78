import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../../../src-server/server';
import { channelFile, publishRelease, type PublishedRelease } from '../../support/update-feed';
import { startTestServer, type TestServer } from '../../support/test-server';

/**
 * The update feed (`--updates-dir`) of the real service over HTTPS: the files as published, byte
 * ranges, no sign-in and no version check, and nothing outside the folder's own files.
 */

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

const feedDir = mkdtempSync(join(tmpdir(), 'helpdesk-feed-'));
const outside = mkdtempSync(join(tmpdir(), 'helpdesk-feed-outside-'));
let t: TestServer;
let agent: Agent;
let release: PublishedRelease;

/** A GET (or HEAD) of `path` exactly as written: no client-side normalisation of `..` or `%2e`. */
function fetchRaw(
  path: string,
  headers: Record<string, string> = {},
  method = 'GET',
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(`${t.server.url}${path}`, { method, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  release = publishRelease(feedDir, '2.3.0');
  writeFileSync(join(feedDir, '.hidden.yml'), 'version: 9.9.9\n');
  mkdirSync(join(feedDir, 'old'));
  writeFileSync(join(feedDir, 'old', 'latest-linux.yml'), 'version: 0.0.1\n');
  writeFileSync(join(outside, 'secret.txt'), 'not for the feed');
  t = await startTestServer({ updatesDir: feedDir, minClientVersion: '2.0.0' });
  agent = new Agent({ ca: t.ca, keepAlive: false });
});

afterAll(async () => {
  await t?.close();
  rmSync(feedDir, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

describe('the update feed', () => {
  it('serves the channel file as YAML to anyone, whatever their version', async () => {
    // No token, no X-Client-Version, though the service requires 2.0.0 of everything else.
    const answer = await fetchRaw(`/api/v1/updates/${channelFile()}?noCache=1abc`);
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toMatch(/^text\/yaml/);
    expect(answer.headers['cache-control']).toBe('no-store');
    expect(answer.headers['x-content-type-options']).toBe('nosniff');
    expect(answer.body.toString('utf8')).toContain(`sha512: ${release.sha512}`);
    const refused = await fetchRaw('/api/v1/sync/pull?cursor=0');
    expect(refused.status).toBe(426);
  });

  it('serves an installer byte for byte, and HEAD gives its length', async () => {
    const answer = await fetchRaw(`/api/v1/updates/${release.file}`);
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('application/octet-stream');
    expect(answer.headers['accept-ranges']).toBe('bytes');
    expect(answer.body.equals(release.bytes)).toBe(true);
    const head = await fetchRaw(`/api/v1/updates/${release.file}`, {}, 'HEAD');
    expect(head.status).toBe(200);
    expect(Number(head.headers['content-length'])).toBe(release.bytes.length);
    expect(head.body.length).toBe(0);
  });

  it('answers a byte range with 206 (differential downloads), several ranges with the whole file', async () => {
    const part = await fetchRaw(`/api/v1/updates/${release.file}`, { range: 'bytes=100-199' });
    expect(part.status).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 100-199/${release.bytes.length}`);
    expect(part.body.equals(release.bytes.subarray(100, 200))).toBe(true);
    const several = await fetchRaw(`/api/v1/updates/${release.file}`, {
      range: 'bytes=0-9,20-29',
    });
    expect(several.status).toBe(200);
    expect(several.body.length).toBe(release.bytes.length);
    const beyond = await fetchRaw(`/api/v1/updates/${release.file}`, {
      range: `bytes=${release.bytes.length + 10}-`,
    });
    // The error envelope has no 416: a range past the end is a bad request like any other.
    expect(beyond.status).toBe(400);
    expect(JSON.parse(beyond.body.toString('utf8'))).toEqual({
      error: { code: 'bad_request', message: 'Range Not Satisfiable' },
    });
  });

  it('serves a release published while it runs (copying files is publishing)', async () => {
    const next = publishRelease(feedDir, '2.4.0', { size: 1000 });
    const answer = await fetchRaw(`/api/v1/updates/${next.file}`);
    expect(answer.status).toBe(200);
    expect(answer.body.equals(next.bytes)).toBe(true);
  });

  it.each([
    ['a missing file', '/api/v1/updates/latest-nothing.yml'],
    ['the folder itself', '/api/v1/updates/'],
    ['a dotfile', '/api/v1/updates/.hidden.yml'],
    ['a file in a subfolder', '/api/v1/updates/old/latest-linux.yml'],
    ['a subfolder', '/api/v1/updates/old'],
    ['.. to a sibling folder', `/api/v1/updates/../../../..${outside}/secret.txt`],
    ['.. percent-encoded', `/api/v1/updates/%2e%2e%2f%2e%2e%2f%2e%2e${outside}/secret.txt`],
    ['.. encoded twice', '/api/v1/updates/%252e%252e%252fsecret.txt'],
    ['a backslash', '/api/v1/updates/..%5c..%5csecret.txt'],
    ['an absolute path', `/api/v1/updates/${encodeURIComponent(join(outside, 'secret.txt'))}`],
    ['a NUL byte', '/api/v1/updates/latest-linux.yml%00.deb'],
    ['a control character', '/api/v1/updates/latest%0a.yml'],
    // Non-canonical paths that resolve to a refused file (GHSA-8pvw-jcv7-9cmj, GHSA-83w8-p2f5-377r).
    ['./ to a file in a subfolder', '/api/v1/updates/./old/latest-linux.yml'],
    ['// to a file in a subfolder', '/api/v1/updates//old/latest-linux.yml'],
    ['.. inside the feed to a subfolder', '/api/v1/updates/new/../old/latest-linux.yml'],
    ['/./ inside a subfolder', '/api/v1/updates/old/./latest-linux.yml'],
    ['./ to a dotfile', '/api/v1/updates/./.hidden.yml'],
    ['.. to a dotfile', '/api/v1/updates/new/../.hidden.yml'],
  ])('refuses %s with 4xx in the error envelope', async (_what, path) => {
    const answer = await fetchRaw(path);
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(answer.status).toBeLessThan(500);
    expect(answer.body.toString('utf8')).not.toContain('not for the feed');
    expect(answer.body.toString('utf8')).not.toContain('0.0.1');
    expect(answer.body.toString('utf8')).not.toContain('9.9.9');
    expect(JSON.parse(answer.body.toString('utf8'))).toMatchObject({
      error: { code: expect.any(String), message: expect.any(String) },
    });
  });

  it('refuses writes', async () => {
    const answer = await fetchRaw(`/api/v1/updates/${channelFile()}`, {}, 'PUT');
    expect(answer.status).toBe(404);
  });
});

describe('a service without --updates-dir', () => {
  it('has no feed', async () => {
    const plain = await startTestServer();
    try {
      const answer = await new Promise<number>((resolve, reject) => {
        request(
          `${plain.server.url}/api/v1/updates/${channelFile()}`,
          { agent: new Agent({ ca: plain.ca, keepAlive: false }) },
          (res) => {
            res.resume();
            resolve(res.statusCode!);
          },
        )
          .on('error', reject)
          .end();
      });
      expect(answer).toBe(404);
    } finally {
      await plain.close();
    }
  });

  it('will not start with an updates folder that does not exist', async () => {
    await expect(
      startServer({
        port: 0,
        dataDir: mkdtempSync(join(tmpdir(), 'helpdesk-feed-missing-')),
        updatesDir: join(outside, 'no-such-folder'),
        logLevel: 'fatal',
      }),
    ).rejects.toThrow(/--updates-dir .*no-such-folder is not a folder/);
  });
});
