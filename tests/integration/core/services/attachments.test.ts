import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachmentCacheDir } from '../../../../src-main/core/attachments/attachment-cache';
import { accountDir, accountIdOf } from '../../../../src-main/core/services/account-registry';
import { OFFLINE_UNAVAILABLE_MESSAGE } from '../../../../src-main/core/attachments/open-attachment';
import { ServiceClient } from '../../../../src-main/core/net/service-client';
import type { HelpdeskService } from '../../../../src-main/core/services/helpdesk-service';
import type { SessionInfo } from '../../../../src-shared/bridge/contract';
import type { Attachment } from '../../../../src-shared/domain/entities';
import { ATTACHMENT_MAX_BYTES } from '../../../../src-shared/protocol/attachments';
import {
  startHelpdeskHarness,
  synced,
  type HelpdeskHarness,
} from '../../../support/helpdesk-harness';

/**
 * Attachments through the bridge: the metadata arrives with sync, the content is fetched when
 * first opened and then served from this machine's cache, offline too; what is neither cached nor
 * reachable answers `offline_unavailable`; a cached file changed on disk, or a download that does
 * not match its checksum, is never handed out; sign-out leaves no file behind.
 */

let h: HelpdeskHarness;
let service: HelpdeskService;
let session: SessionInfo;
let dataDir: string;
let ticketId: string;
let token: string;

beforeAll(async () => {
  // A service that takes one byte more than the desktop opens.
  h = await startHelpdeskHarness('attachments', { attachmentMaxBytes: ATTACHMENT_MAX_BYTES + 1 });
  ({ service, session, dataDir } = await h.signedIn('agent3@acme.test'));
  ticketId = (await service.invoke('listTickets', { limit: 1 })).tickets[0]!.id;
  token = (await h.t.api.login('acme', 'agent1@acme.test')).accessToken;
});
afterAll(() => h?.close());

/** Uploaded by another agent, then pulled into this replica. */
async function uploaded(
  name: string,
  bytes: Buffer,
  contentType = 'image/png',
): Promise<Attachment> {
  const response = await h.t.api.call(
    'POST',
    `/api/v1/tickets/${ticketId}/attachments?name=${encodeURIComponent(name)}`,
    { token, rawBody: bytes, headers: { 'content-type': contentType } },
  );
  expect(response.status).toBe(201);
  await synced(service);
  return response.body.attachment as Attachment;
}

const cacheDir = () =>
  attachmentCacheDir(accountDir(dataDir, accountIdOf(session)), {
    serverUrl: session.serverUrl,
    tenantId: session.tenant.id,
    userId: session.user.id,
  });

async function listed(id: string) {
  const detail = await service.invoke('getTicket', { id: ticketId });
  return detail!.attachments.find((a) => a.id === id);
}

const open = (id: string) => service.invoke('openAttachment', { id });

describe('openAttachment', () => {
  it('fetches an attachment once, keeps it, and serves it from the cache offline', async () => {
    const bytes = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7) % 256));
    const attachment = await uploaded('diagram.png', bytes);
    expect(await listed(attachment.id)).toEqual({ ...attachment, cached: false });

    const opened = await open(attachment.id);
    expect(opened).toEqual({
      name: 'diagram.png',
      contentType: 'image/png',
      size: bytes.length,
      dataBase64: bytes.toString('base64'),
    });
    const file = join(cacheDir(), attachment.sha256);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(cacheDir()).mode & 0o777).toBe(0o700);
    expect(await listed(attachment.id)).toMatchObject({ cached: true });

    const downloads = () =>
      h.t.logs.filter((line) => line.includes(`/api/v1/attachments/${attachment.id}`)).length;
    const before = downloads();
    expect(before).toBeGreaterThan(0);
    const again = await h.offline(() => open(attachment.id));
    expect(Buffer.from(again.dataBase64, 'base64').equals(bytes)).toBe(true);
    expect(downloads()).toBe(before);
  });

  it('answers offline_unavailable for a file not cached while the service is out of reach', async () => {
    const attachment = await uploaded('notes.txt', Buffer.from('not fetched yet'), 'text/plain');
    await expect(h.offline(() => open(attachment.id))).rejects.toMatchObject({
      code: 'offline_unavailable',
      message: OFFLINE_UNAVAILABLE_MESSAGE,
    });
    expect(await listed(attachment.id)).toMatchObject({ cached: false });
    // Back online, it opens.
    expect((await open(attachment.id)).dataBase64).toBe(
      Buffer.from('not fetched yet').toString('base64'),
    );
  });

  it('never hands out a cached file changed on disk: it is dropped and fetched again', async () => {
    const bytes = Buffer.from('the real content');
    const attachment = await uploaded('real.txt', bytes, 'text/plain');
    await open(attachment.id);
    const file = join(cacheDir(), attachment.sha256);
    writeFileSync(file, 'the fake content');

    await expect(h.offline(() => open(attachment.id))).rejects.toMatchObject({
      code: 'offline_unavailable',
    });
    expect(existsSync(file)).toBe(false);
    expect(await listed(attachment.id)).toMatchObject({ cached: false });

    const opened = await open(attachment.id);
    expect(Buffer.from(opened.dataBase64, 'base64').equals(bytes)).toBe(true);
    expect(createHash('sha256').update(readFileSync(file)).digest('hex')).toBe(attachment.sha256);
  });

  it('refuses a download that does not match its checksum, and keeps nothing', async () => {
    const attachment = await uploaded(
      'doc.pdf',
      Buffer.from('%PDF-1.7 genuine'),
      'application/pdf',
    );
    // The service's copy is damaged (a bad disk, a bad restore): same size, other bytes.
    const db = new BetterSqlite3(join(h.t.dataDir, 'helpdesk.sqlite'));
    try {
      db.prepare('UPDATE attachment_contents SET data = ? WHERE id = ?').run(
        Buffer.from('%PDF-1.7 damaged'),
        attachment.id,
      );
    } finally {
      db.close();
    }
    await expect(open(attachment.id)).rejects.toMatchObject({ code: 'attachment_corrupt' });
    expect(existsSync(join(cacheDir(), attachment.sha256))).toBe(false);
  });

  it('hands the renderer a type that runs no script, and refuses files over the limit', async () => {
    const page = await uploaded('page.html', Buffer.from('<script>alert(1)</script>'), 'text/html');
    expect(page.contentType).toBe('text/html');
    expect((await open(page.id)).contentType).toBe('application/octet-stream');

    const big = await uploaded(
      'big.bin',
      Buffer.alloc(ATTACHMENT_MAX_BYTES + 1, 1),
      'application/zip',
    );
    await expect(open(big.id)).rejects.toMatchObject({ code: 'payload_too_large' });
    expect(existsSync(join(cacheDir(), big.sha256))).toBe(false);

    await expect(open(randomUUID())).rejects.toMatchObject({ code: 'not_found' });
    await expect(service.invoke('openAttachment', { id: 'x' })).rejects.toMatchObject({
      code: 'bad_request',
    });
  });
});

describe('ServiceClient.downloadAttachment', () => {
  it('reads at most the bytes it is allowed, and says what the service answered otherwise', async () => {
    const bytes = Buffer.alloc(4096, 9);
    const attachment = await uploaded('capped.bin', bytes, 'application/octet-stream');
    const client = new ServiceClient({ serverUrl: h.t.server.url, ca: h.t.ca });
    try {
      expect((await client.downloadAttachment(attachment.id, token, 4096)).equals(bytes)).toBe(
        true,
      );
      await expect(client.downloadAttachment(attachment.id, token, 4095)).rejects.toMatchObject({
        kind: 'bad_response',
        reason: 'the answer is too large',
      });
      await expect(client.downloadAttachment(randomUUID(), token, 4096)).rejects.toMatchObject({
        kind: 'http',
        status: 404,
        code: 'not_found',
      });
    } finally {
      client.close();
    }
  });
});

describe('ServiceClient.downloadAttachment on a connection closed meanwhile', () => {
  it('sends the request once more, on a new connection', async () => {
    const bytes = Buffer.from('kept alive');
    const attachment = await uploaded('again.txt', bytes, 'text/plain');
    const client = new ServiceClient({ serverUrl: h.proxy.url, ca: h.t.ca });
    try {
      expect((await client.downloadAttachment(attachment.id, token, 1024)).equals(bytes)).toBe(
        true,
      );
      // The proxy resets the connection the client keeps alive, as a network change would.
      h.proxy.setMode('refuse');
      h.proxy.setMode('pass');
      const before = h.proxy.connections;
      expect((await client.downloadAttachment(attachment.id, token, 1024)).equals(bytes)).toBe(
        true,
      );
      expect(h.proxy.connections).toBe(before + 1);
    } finally {
      client.close();
    }
  });
});

describe('sign-out', () => {
  it('removes the attachment cache with the rest of the account', async () => {
    expect(readdirSync(cacheDir()).length).toBeGreaterThan(0);
    expect(await service.invoke('signOut', {})).toEqual({ status: 'signed-out' });
    expect(existsSync(cacheDir())).toBe(false);
    expect(readdirSync(dataDir)).toEqual([]);
  });
});
