import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RotatingLog } from '../../../../src-main/core/diagnostics/rotating-log';
import { HelpdeskService } from '../../../../src-main/core/services/helpdesk-service';
import type { NewWorkNotice } from '../../../../src-shared/bridge/new-work';
import type { SyncSession } from '../../../support/api-client';
import { customerWrites as writeAsCustomer } from '../../../support/customer-writes';
import {
  startHelpdeskHarness,
  synced,
  type HelpdeskHarness,
  type SignedIn,
} from '../../../support/helpdesk-harness';
import { serverState, TempDirs, waitFor } from '../../../support/sync-harness';

/**
 * This computer's choices through the bridge, against the real service and keychain: the
 * notices of a kind turned off never come, those of the others do; the choices outlive a
 * sign-out and a restart; a render error the renderer reports lands in the diagnostics log.
 */

let h: HelpdeskHarness;
let me: SignedIn;
let b: SyncSession;
const dirs = new TempDirs();

beforeAll(async () => {
  h = await startHelpdeskHarness('device-settings');
  me = await h.signedIn('agent3@acme.test');
  b = await h.t.api.session('acme', 'agent2@acme.test');
}, 60_000);
afterAll(async () => {
  await h?.close();
  dirs.cleanup();
});

async function customerWrites(ticketId: string, body: string): Promise<void> {
  const ticket = (await serverState(h.t.api, 'acme', 'admin@acme.test')).tickets.get(ticketId)!;
  await writeAsCustomer(h.t.server.storage, me.session.tenant.id, ticket, body);
}

describe('notification choices', () => {
  it('a kind turned off never comes as newWork; the kinds left on do', async () => {
    const { service, session } = me;
    const heard: NewWorkNotice[] = [];
    const stop = service.on('newWork', ({ notices }) => heard.push(...notices));
    expect(
      await service.invoke('updateDeviceSettings', {
        notifications: { kinds: { assigned: false } },
      }),
    ).toMatchObject({ notifications: { kinds: { assigned: false, 'customer-reply': true } } });

    const { tickets } = await service.invoke('listTickets', { status: ['open'], limit: 50 });
    const given = tickets.find((t) => t.assigneeId !== session.user.id && t.number !== null)!;
    const pushed = await b.send({
      name: 'setTicketFields',
      args: { ticketId: given.id, fields: { assigneeId: session.user.id } },
    });
    expect(pushed.body.results[0]).toMatchObject({ status: 'applied' });
    await synced(service);
    await waitFor('the ticket is mine here', async () => {
      const detail = await service.invoke('getTicket', { id: given.id });
      return detail?.ticket.assigneeId === session.user.id;
    });

    // The requester writes on it: that kind is on, so it comes, and the assignment never did.
    await customerWrites(given.id, 'Any news?');
    await synced(service);
    await waitFor('the customer-reply notice', () => heard.length > 0);
    stop();
    expect(heard).toEqual([
      { kind: 'customer-reply', ticketId: given.id, number: given.number, subject: given.subject },
    ]);
  });

  it('refuses a choice it does not know, changing nothing', async () => {
    const before = await me.service.invoke('getDeviceSettings', {});
    for (const input of [
      { theme: 'sepia' },
      { notifications: { kinds: { mentions: true } } },
      { notifications: { quietUntil: 'later' } },
    ]) {
      await expect(me.service.invoke('updateDeviceSettings', input)).rejects.toMatchObject({
        code: 'bad_request',
      });
    }
    expect(await me.service.invoke('getDeviceSettings', {})).toEqual(before);
  });
});

describe('device settings and the diagnostics log', () => {
  it('outlive a sign-out and a restart, and take a reported render error into the log, redacted', async () => {
    const dataDir = dirs.make('helpdesk-device-settings-');
    const log = new RotatingLog({ dir: `${dataDir}/logs` });
    const open = () => new HelpdeskService({ dataDir, credentials: h.store, diagnostics: log });
    const first = open();
    // Before any sign-in: they belong to the computer, not to an account.
    await first.invoke('updateDeviceSettings', { theme: 'dark' });
    await first.invoke('signIn', {
      serverUrl: h.proxy.url,
      tenant: 'acme',
      email: 'agent4@acme.test',
      password: 'demo-password-1',
      caCertificate: h.t.ca,
    });
    await first.invoke('signOut', { discardPending: true });
    await first.invoke('reportRendererError', {
      message: "Cannot read properties of null (reading 'map') token=s3cr3t-value",
      stack: 'TypeError: Cannot read properties of null\n    at Conversation (app.js:1:2)',
    });
    await first.close();

    const second = open();
    expect(await second.invoke('getDeviceSettings', {})).toMatchObject({ theme: 'dark' });
    await expect(
      second.invoke('reportRendererError', { message: 'x'.repeat(2001) }),
    ).rejects.toMatchObject({ code: 'bad_request' });
    await second.close();
    const lines = log.tail(50).map((line) => JSON.parse(line));
    const reported = lines.find((line) => line.event === 'renderer.error');
    expect(reported).toMatchObject({
      level: 'error',
      message: "Cannot read properties of null (reading 'map') token=[redacted]",
      stack: expect.stringContaining('at Conversation (app.js:1:2)'),
    });
  });
});
