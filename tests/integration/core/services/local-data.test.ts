import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HelpdeskService } from '../../../../src-main/core/services/helpdesk-service';
import {
  startHelpdeskHarness,
  synced,
  type HelpdeskHarness,
} from '../../../support/helpdesk-harness';
import { serverState, waitFor } from '../../../support/sync-harness';

/**
 * "Local data" in settings, on real files against the real service: the disk an account uses
 * (replica and attachment cache, as `stat` counts them), and "reset local data", which keeps
 * changes not yet sent, drops cached attachments, and pulls everything again from cursor 0: a row
 * changed or added behind the service's back is gone afterwards.
 */

const EMAIL = 'agent5@acme.test';
let h: HelpdeskHarness;
let service: HelpdeskService;
let dataDir: string;
let ticketId: string;

beforeAll(async () => {
  h = await startHelpdeskHarness('local-data');
  ({ service, dataDir } = await h.signedIn(EMAIL));
  ticketId = (await service.invoke('listTickets', { limit: 1 })).tickets[0]!.id;
});
afterAll(() => h?.close());

const bytesOf = (dir: string, match: RegExp) =>
  readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => match.test(name))
    .reduce((sum, name) => sum + statSync(join(dir, name)).size, 0);

async function cacheAnAttachment(): Promise<void> {
  const token = (await h.t.api.login('acme', 'agent1@acme.test')).accessToken;
  const uploaded = await h.t.api.call(
    'POST',
    `/api/v1/tickets/${ticketId}/attachments?name=a.png`,
    {
      token,
      rawBody: Buffer.alloc(7000, 7),
      headers: { 'content-type': 'image/png' },
    },
  );
  expect(uploaded.status).toBe(201);
  await synced(service);
  await service.invoke('openAttachment', { id: uploaded.body.attachment.id });
}

/** Edits the replica file over another connection, as a damaged or stale copy would be. */
function tamper(): string {
  const file = readdirSync(dataDir, { recursive: true, encoding: 'utf8' }).find((name) =>
    /(^|\/)replica-[0-9a-f]+\.sqlite$/.test(name),
  )!;
  const db = new BetterSqlite3(join(dataDir, file));
  try {
    const row = db
      .prepare("SELECT data FROM base WHERE entity = 'ticket' AND id = ?")
      .get(ticketId) as {
      data: string;
    };
    const ghost = { ...JSON.parse(row.data), id: '00000000-0000-4000-8000-0000000000aa' };
    db.prepare("INSERT INTO base (entity, id, data, generation) VALUES ('ticket', ?, ?, 0)").run(
      ghost.id,
      JSON.stringify(ghost),
    );
    return ghost.id;
  } finally {
    db.close();
  }
}

describe('local data of an account', () => {
  it('reports the replica and the attachment cache as they are on disk', async () => {
    await cacheAnAttachment();
    const usage = await service.invoke('getLocalDataUsage', {});
    expect(usage.replicaBytes).toBe(
      bytesOf(dataDir, /(^|\/)replica-[0-9a-f]+\.sqlite(-wal|-shm)?$/),
    );
    expect(usage.replicaBytes).toBeGreaterThan(0);
    expect(usage.attachmentBytes).toBe(bytesOf(dataDir, /\/attachments\/.*[0-9a-f]{64}$/));
    expect(usage.attachmentBytes).toBe(7000);
    expect(usage.pending).toBe(0);
    // The account's folder, as the list of every account shows it: these two and nothing else.
    expect(usage.accounts).toEqual([
      {
        id: expect.stringMatching(/^[0-9a-f]{32}$/),
        label: 'Acme Field Services',
        email: EMAIL,
        bytes: usage.replicaBytes + usage.attachmentBytes,
      },
    ]);
  });

  it('resets: pending changes kept and sent, attachments dropped, everything pulled again', async () => {
    const ghostId = tamper();
    expect(await service.invoke('getTicket', { id: ghostId })).not.toBeNull();
    await h.offline(async () => {
      await service.invoke('mutate', {
        name: 'addTags',
        args: { ticketId, tags: ['kept-through-reset'] },
      });
      expect((await service.invoke('getLocalDataUsage', {})).pending).toBe(1);
      expect(await service.invoke('resetLocalData', {})).toEqual({ pendingKept: 1 });
      // Offline, the copy on disk still answers; the change is still queued and shown.
      expect((await service.invoke('getSyncStatus', {})).pending).toBe(1);
      const detail = await service.invoke('getTicket', { id: ticketId });
      expect(detail!.ticket.tags).toContain('kept-through-reset');
    });
    expect((await service.invoke('getLocalDataUsage', {})).attachmentBytes).toBe(0);

    await synced(service);
    await waitFor(
      'the ghost row gone',
      async () => (await service.invoke('getTicket', { id: ghostId })) === null,
    );
    const server = await serverState(h.t.api, 'acme', EMAIL);
    expect(server.tickets.get(ticketId)!.tags).toContain('kept-through-reset');
    const { total } = await service.invoke('listTickets', { limit: 1 });
    expect(total).toBe(server.tickets.size);
    expect(await service.invoke('getLocalDataUsage', {})).toMatchObject({ pending: 0 });
  });

  it('answers not_signed_in when no one is signed in', async () => {
    const signedOut = await h.signedIn('agent1@acme.test');
    await signedOut.service.invoke('signOut', {});
    for (const call of ['getLocalDataUsage', 'resetLocalData'] as const) {
      await expect(signedOut.service.invoke(call, {})).rejects.toMatchObject({
        code: 'not_signed_in',
      });
    }
  });
});
