import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountKey } from '../../../../src-main/core/credentials/credential-store';
import { RotatingLog } from '../../../../src-main/core/diagnostics/rotating-log';
import { HelpdeskService } from '../../../../src-main/core/services/helpdesk-service';
import {
  startHelpdeskHarness,
  synced,
  type HelpdeskHarness,
} from '../../../support/helpdesk-harness';
import { TempDirs, TEST_ENGINE, waitFor } from '../../../support/sync-harness';

/**
 * "Copy diagnostics" and the log behind it, through the bridge against the real service and
 * keychain: the report names versions, system, account and sync state, and carries the log of
 * what went wrong (offline, a refused call); neither the report nor the files on disk hold the
 * password, the refresh token, what the agent wrote, or the email unmasked (report).
 */

const EMAIL = 'agent2@acme.test';
const PASSWORD = 'demo-password-1';
const REPLY = 'Dear Ms Example, your refund of 42 EUR is on its way';
let h: HelpdeskHarness;
const dirs = new TempDirs();
let service: HelpdeskService;
let logDir: string;

beforeAll(async () => {
  h = await startHelpdeskHarness('diagnostics');
  const dataDir = dirs.make('helpdesk-diagnostics-');
  logDir = join(dataDir, 'logs');
  service = new HelpdeskService({
    dataDir,
    credentials: h.store,
    engine: TEST_ENGINE,
    appInfo: { version: '3.4.5', shell: 'preview', signInDefaults: null },
    diagnostics: new RotatingLog({ dir: logDir }),
  });
});
afterAll(async () => {
  await service?.close();
  await h?.close();
  dirs.cleanup();
});

describe('copyDiagnostics', () => {
  it('reports state and recent trouble, with no secret and no content', async () => {
    const signedOut = await service.invoke('copyDiagnostics', {});
    expect(signedOut.text).toContain('App: 3.4.5 (preview)');
    expect(signedOut.text).toContain('Account: signed out');

    await service.invoke('signIn', {
      serverUrl: h.proxy.url,
      tenant: 'acme',
      email: EMAIL,
      password: PASSWORD,
      caCertificate: h.t.ca,
    });
    await synced(service);
    const ticketId = (await service.invoke('listTickets', { limit: 1 })).tickets[0]!.id;
    await h.offline(async () => {
      await service.invoke('mutate', {
        name: 'addComment',
        args: { ticketId, id: randomUUID(), body: REPLY, public: true },
      });
      await service.invoke('syncNow', {});
      await waitFor(
        'offline',
        async () => (await service.invoke('getSyncStatus', {})).status.state === 'offline',
      );
    });
    await expect(service.invoke('openAttachment', { id: randomUUID() })).rejects.toMatchObject({
      code: 'not_found',
    });
    await synced(service);

    const { text } = await service.invoke('copyDiagnostics', {});
    expect(text).toContain('App: 3.4.5 (preview)');
    expect(text).toMatch(/^OS: \S+ /m);
    expect(text).toMatch(
      /^Account: a\*\*\*@a\*\*\*\.test \(agent\) at acme on https:\/\/127\.0\.0\.1:\d+$/m,
    );
    expect(text).toMatch(/^Sync: \{"state":"idle".*pending 0, needs attention 0, held 0$/m);
    // The log of what happened: sign-in sync, the time offline, the refused call.
    expect(text).toContain('"event":"sync.state","state":"offline"');
    expect(text).toContain('"event":"bridge.failed","call":"openAttachment","code":"not_found"');

    const refreshToken = (await h.store.get(accountKey(h.proxy.url, 'acme', EMAIL)))!;
    expect(refreshToken.length).toBeGreaterThan(10);
    const onDisk = readdirSync(logDir)
      .map((name) => readFileSync(join(logDir, name), 'utf8'))
      .join('\n');
    expect(onDisk).toContain('"event":"sync.state"');
    for (const secret of [PASSWORD, refreshToken, REPLY, 'refund']) {
      expect(text).not.toContain(secret);
      expect(onDisk).not.toContain(secret);
    }
    expect(text).not.toContain(EMAIL);
  });
});
