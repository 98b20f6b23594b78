import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectApiError } from '../../support/api-errors';
import { startTestServer, type TestServer } from '../../support/test-server';

/**
 * `--min-client-version`: the service answers 426 upgrade_required, naming the minimum, to a
 * client below it or without X-Client-Version, before anything else; a malformed version is 400.
 */

const login = { tenant: 'acme', email: 'agent1@acme.test', password: 'demo-password-1' };
let t: TestServer;

beforeAll(async () => {
  t = await startTestServer({ demo: true, minClientVersion: '1.2.0' });
});
afterAll(async () => {
  await t?.close();
});

const withVersion = (version: string | null) =>
  t.api.call('POST', '/api/v1/auth/login', {
    body: login,
    headers: version === null ? {} : { 'x-client-version': version },
  });

describe('a service with a minimum client version', () => {
  it('answers 426 upgrade_required with minVersion to older clients and to clients without one', async () => {
    for (const version of ['1.1.9', '1.2.0-rc.1', '0.1.0', null]) {
      const response = await withVersion(version);
      expectApiError(response, 426, 'upgrade_required');
      expect(response.body.error.minVersion).toBe('1.2.0');
      expect(response.body.error.message).toContain('1.2.0');
    }
  });

  it('serves clients at or above the minimum', async () => {
    for (const version of ['1.2.0', '1.2.1', '2.0.0-beta.1']) {
      const response = await withVersion(version);
      expect(response.status, version).toBe(200);
      expect(response.body.accessToken).toEqual(expect.any(String));
    }
  });

  it('refuses an older client before authenticating it, on sync endpoints too', async () => {
    const response = await t.api.call('GET', '/api/v1/sync/pull?cursor=0', {
      token: 'not-a-token',
      clientId: '00000000-0000-4000-8000-000000000000',
      headers: { 'x-client-version': '1.0.0' },
    });
    expectApiError(response, 426, 'upgrade_required');
  });

  it('answers 400 for a malformed version, whatever the minimum', async () => {
    for (const version of ['1.2', 'latest', '1.2.0; drop']) {
      const response = await withVersion(version);
      expectApiError(response, 400, 'bad_request');
      expect(response.body.error.details).toEqual([
        { path: 'X-Client-Version', message: expect.stringContaining('semantic version') },
      ]);
    }
  });

  it('keeps health checks open to every client', async () => {
    const response = await t.api.call('GET', '/api/v1/health');
    expect(response.status).toBe(200);
  });
});
