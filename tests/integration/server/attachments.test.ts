import { createHash, randomUUID } from 'node:crypto';
import { Agent, request } from 'node:https';
import axios from 'axios';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Attachment } from '../../../src-shared/domain/entities';
import type { Change } from '../../../src-shared/protocol/sync';
import { SyncSession, type ApiResponse } from '../../support/api-client';
import { expectApiError } from '../../support/api-errors';
import { serviceSql } from '../../support/service-db';
import { startTestServer, type TestServer } from '../../support/test-server';

/**
 * Attachments on the real service: the bytes go up as a raw body and come down on demand, the
 * metadata syncs through pull, the size limit holds while the body is read (nothing is written
 * over it), one tenant never reaches another's files, and a deleted ticket takes its files along.
 */

const LIMIT = 64 * 1024;

let t: TestServer;
let admin: SyncSession;
let agent: SyncSession;
let globexAdmin: SyncSession;
let seed: Change[];
let ticketId: string;
let contactId: string;

beforeAll(async () => {
  t = await startTestServer({ demo: true, attachmentMaxBytes: LIMIT });
  [admin, agent, globexAdmin] = await Promise.all([
    t.api.session('acme', 'admin@acme.test'),
    t.api.session('acme', 'agent1@acme.test'),
    t.api.session('globex', 'admin@globex.test'),
  ]);
  seed = (await admin.pullAll('0', 5000)).flatMap((page) => page.changes);
  ticketId = seed.find((c) => c.entity === 'ticket')!.id;
  contactId = seed.find((c) => c.entity === 'contact')!.id;
});
afterAll(() => t.close());

function upload(
  session: SyncSession,
  ticket: string,
  name: string,
  bytes: Buffer,
  contentType = 'application/octet-stream',
  extraQuery = '',
): Promise<ApiResponse> {
  return t.api.call(
    'POST',
    `/api/v1/tickets/${ticket}/attachments?name=${encodeURIComponent(name)}${extraQuery}`,
    { token: session.token, rawBody: bytes, headers: { 'content-type': contentType } },
  );
}

/** The answer's bytes as they came, not parsed. */
async function download(session: SyncSession, id: string) {
  const response = await axios.get<ArrayBuffer>(`${t.api.baseUrl}/api/v1/attachments/${id}`, {
    httpsAgent: new Agent({ ca: t.ca, keepAlive: false }),
    headers: { authorization: `Bearer ${session.token}` },
    responseType: 'arraybuffer',
    validateStatus: () => true,
  });
  return {
    status: response.status,
    headers: response.headers as Record<string, string>,
    bytes: Buffer.from(response.data),
  };
}

/**
 * An upload written by hand: no Content-Type header (ApiClient always sends one) and, without a
 * Content-Length, the body sent chunked in the pieces given, so its size is known only as it comes.
 */
function rawUpload(
  session: SyncSession,
  name: string,
  pieces: Buffer[],
  headers: Record<string, string | number> = {},
): Promise<ApiResponse> {
  const url = new URL(`/api/v1/tickets/${ticketId}/attachments?name=${name}`, t.api.baseUrl);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        ca: t.ca,
        headers: { authorization: `Bearer ${session.token}`, ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode!,
            headers: res.headers as Record<string, string>,
            body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
          }),
        );
      },
    );
    req.on('error', reject);
    for (const piece of pieces) req.write(piece);
    req.end();
  });
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** Counts in the service's own database, read over a separate connection. */
async function serviceCounts(): Promise<{ contents: number; attachments: number }> {
  const [row] = await serviceSql<{ contents: number | string; attachments: number | string }>(
    t,
    `SELECT (SELECT count(*) FROM attachment_contents) AS contents,
            (SELECT count(*) FROM records WHERE entity = 'attachment' AND NOT deleted) AS attachments`,
  );
  return { contents: Number(row!.contents), attachments: Number(row!.attachments) };
}

/** Where the session's replica would stand now: changes after it are what the next pull brings. */
async function headCursor(session: SyncSession): Promise<string> {
  const pages = await session.pullAll('0', 5000);
  return pages.at(-1)!.cursor;
}

describe('uploading an attachment', () => {
  it('answers 201 with the metadata, which every user of the tenant then pulls', async () => {
    const cursor = await headCursor(agent);
    const bytes = Buffer.from('\x89PNG\r\n\x1a\n not really a picture');
    const response = await upload(admin, ticketId, 'screen shot.png', bytes, 'image/png');
    expect(response.status).toBe(201);
    const attachment = Attachment.parse(response.body.attachment);
    expect(attachment).toEqual({
      id: expect.any(String),
      ticketId,
      commentId: null,
      name: 'screen shot.png',
      size: bytes.length,
      contentType: 'image/png',
      sha256: sha256(bytes),
      createdBy: admin.tokens.user.id,
      createdAt: expect.any(String),
    });

    const changes = (await agent.pullAll(cursor)).flatMap((page) => page.changes);
    expect(changes).toEqual([
      expect.objectContaining({ entity: 'attachment', id: attachment.id, op: 'upsert' }),
    ]);
    expect((changes[0] as { data: unknown }).data).toEqual(attachment);
  });

  it('ties a file to a comment of the same ticket, and to nothing else', async () => {
    const comment = seed.find(
      (c) => c.entity === 'comment' && c.op === 'upsert' && c.data.ticketId === ticketId,
    )!;
    const other = seed.find(
      (c) => c.entity === 'comment' && c.op === 'upsert' && c.data.ticketId !== ticketId,
    )!;
    const bytes = Buffer.from('log line\n');
    const ok = await upload(
      agent,
      ticketId,
      'log.txt',
      bytes,
      'text/plain',
      `&commentId=${comment.id}`,
    );
    expect(ok.status).toBe(201);
    expect(ok.body.attachment).toMatchObject({
      commentId: comment.id,
      createdBy: agent.tokens.user.id,
    });
    const before = await serviceCounts();
    expectApiError(
      await upload(agent, ticketId, 'log.txt', bytes, 'text/plain', `&commentId=${other.id}`),
      404,
      'not_found',
    );
    expect(await serviceCounts()).toEqual(before);
  });

  it('stores a JSON file as bytes, and an upload without a type as unknown bytes', async () => {
    const json = Buffer.from('{"not": "parsed"');
    const asJson = await upload(
      agent,
      ticketId,
      'data.json',
      json,
      'application/json; charset=utf-8',
    );
    expect(asJson.status).toBe(201);
    expect(asJson.body.attachment).toMatchObject({
      contentType: 'application/json',
      size: json.length,
    });
    const downloaded = await download(agent, asJson.body.attachment.id);
    expect(downloaded.bytes.equals(json)).toBe(true);

    // No Content-Type at all: unknown bytes. An empty one is not a media type.
    const untyped = await rawUpload(agent, 'blob.bin', [Buffer.from([0, 1, 2])], {
      'content-length': 3,
    });
    expect(untyped.status).toBe(201);
    expect(untyped.body.attachment).toMatchObject({ contentType: 'application/octet-stream' });
    const empty = await upload(agent, ticketId, 'blob.bin', Buffer.from([0]), '');
    expectApiError(empty, 400, 'bad_request');
    expect(empty.body.error.message).toMatch(/Content-Type/);
  });

  it('refuses an upload over the limit with 413, while reading it, and writes nothing', async () => {
    const before = await serviceCounts();
    const cursor = await headCursor(admin);
    const response = await upload(admin, ticketId, 'big.bin', Buffer.alloc(LIMIT + 1, 7));
    expectApiError(response, 413, 'payload_too_large');
    expect(response.body.error.message).toBe('An attachment may be at most 64 KiB.');
    // Sent chunked, without a length: counted while it arrives.
    const chunked = await rawUpload(admin, 'big.bin', [Buffer.alloc(LIMIT), Buffer.alloc(1024)], {
      'content-type': 'application/octet-stream',
    });
    expectApiError(chunked, 413, 'payload_too_large');
    // Exactly at the limit is fine.
    expect((await upload(admin, ticketId, 'edge.bin', Buffer.alloc(LIMIT, 7))).status).toBe(201);
    expect(await serviceCounts()).toEqual({
      contents: before.contents + 1,
      attachments: before.attachments + 1,
    });
    const changes = (await admin.pullAll(cursor)).flatMap((page) => page.changes);
    expect(changes.map((c) => (c.op === 'upsert' ? c.data.name : null))).toEqual(['edge.bin']);
  });

  it('answers 4xx with a clear message to bad input, and writes nothing', async () => {
    const before = await serviceCounts();
    const bytes = Buffer.from('x');
    const missing = randomUUID();
    const cases: Array<[ApiResponse, number, string]> = [
      [await upload(agent, missing, 'a.txt', bytes), 404, 'not_found'],
      [await upload(agent, 'not-a-uuid', 'a.txt', bytes), 404, 'not_found'],
      [await upload(agent, ticketId, '', bytes), 400, 'bad_request'],
      [await upload(agent, ticketId, '../etc/passwd', bytes), 400, 'bad_request'],
      [await upload(agent, ticketId, 'bell\u0007.txt', bytes), 400, 'bad_request'],
      [await upload(agent, ticketId, 'a.txt', Buffer.alloc(0)), 400, 'bad_request'],
      [await upload(agent, ticketId, 'a.txt', bytes, 'not a type'), 400, 'bad_request'],
      [await upload(agent, ticketId, 'a.txt', bytes, 'text/plain', '&extra=1'), 400, 'bad_request'],
      [
        await upload(agent, ticketId, 'a.txt', bytes, 'text/plain', `&commentId=${missing}`),
        404,
        'not_found',
      ],
      [
        await t.api.call('POST', `/api/v1/tickets/${ticketId}/attachments?name=a.txt`, {
          rawBody: bytes,
          headers: { 'content-type': 'text/plain' },
        }),
        401,
        'unauthorized',
      ],
    ];
    for (const [response, status, code] of cases) expectApiError(response, status, code);
    expect(cases[0]![0].body.error.message).toBe('No such ticket.');
    expect(cases[2]![0].body.error.message).toMatch(/name/);
    expect(await serviceCounts()).toEqual(before);
  });
});

describe('downloading an attachment', () => {
  it('answers the exact bytes as an attachment, labelled with a safe type only', async () => {
    const bytes = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 31) % 256));
    const png = (await upload(agent, ticketId, 'Übersicht "Q1".png', bytes, 'image/png')).body
      .attachment as Attachment;
    const got = await download(admin, png.id);
    expect(got.status).toBe(200);
    expect(got.bytes.equals(bytes)).toBe(true);
    expect(sha256(got.bytes)).toBe(png.sha256);
    expect(got.headers['content-type']).toBe('image/png');
    expect(got.headers['x-content-type-options']).toBe('nosniff');
    expect(got.headers['content-disposition']).toBe(
      `attachment; filename="_bersicht _Q1_.png"; filename*=UTF-8''%C3%9Cbersicht%20%22Q1%22.png`,
    );

    const html = Buffer.from('<script>alert(1)</script>');
    const page = (await upload(agent, ticketId, 'page.html', html, 'text/html')).body
      .attachment as Attachment;
    expect(page.contentType).toBe('text/html');
    const served = await download(agent, page.id);
    expect(served.headers['content-type']).toBe('application/octet-stream');
    expect(served.headers['content-disposition']).toMatch(/^attachment;/);
    expect(served.bytes.equals(html)).toBe(true);
  });

  it("answers another tenant's attachment exactly as a missing one", async () => {
    const mine = (
      await upload(agent, ticketId, 'secret.txt', Buffer.from('acme only'), 'text/plain')
    ).body.attachment as Attachment;
    const foreign = await download(globexAdmin, mine.id);
    const missing = await download(globexAdmin, randomUUID());
    const malformed = await download(globexAdmin, 'nope');
    for (const answer of [foreign, missing, malformed]) {
      expect(answer.status).toBe(404);
      expect(JSON.parse(answer.bytes.toString('utf8'))).toEqual({
        error: { code: 'not_found', message: 'No such attachment.' },
      });
    }
    // Nor can globex attach a file to acme's ticket.
    expectApiError(
      await upload(globexAdmin, ticketId, 'x.txt', Buffer.from('x')),
      404,
      'not_found',
    );
  });
});

describe('deleting the ticket', () => {
  it('removes its attachments from the pull and their content from the service', async () => {
    const ticket = randomUUID();
    const created = await admin.send({
      name: 'createTicket',
      args: { id: ticket, subject: 'With files', description: '', requesterId: contactId },
    });
    expect(created.body.results[0]!.status).toBe('applied');
    const ids: string[] = [];
    for (const name of ['one.txt', 'two.txt']) {
      const response = await upload(agent, ticket, name, Buffer.from(name), 'text/plain');
      ids.push(response.body.attachment.id);
    }
    expect((await download(agent, ids[0]!)).status).toBe(200);
    const before = await serviceCounts();
    const cursor = await headCursor(agent);

    const deleted = await admin.send({ name: 'deleteTicket', args: { ticketId: ticket } });
    expect(deleted.body.results[0]!.status).toBe('applied');

    const changes = (await agent.pullAll(cursor)).flatMap((page) => page.changes);
    const tombstones = changes.filter((c) => c.entity === 'attachment');
    expect(tombstones.every((c) => c.op === 'delete')).toBe(true);
    expect(tombstones.map((c) => c.id).sort()).toEqual([...ids].sort());
    expect(await serviceCounts()).toEqual({
      contents: before.contents - 2,
      attachments: before.attachments - 2,
    });
    for (const id of ids) expect((await download(agent, id)).status).toBe(404);
    // A fresh replica never hears of them.
    const snapshot = (await agent.pullAll('0', 5000)).flatMap((page) => page.changes);
    expect(snapshot.some((c) => ids.includes(c.id))).toBe(false);
  });
});
