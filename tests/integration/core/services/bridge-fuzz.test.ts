import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BRIDGE_INVOKE, type BridgeCall } from '../../../../src-shared/bridge/contract';
import { KeytarCredentialStore } from '../../../../src-main/core/credentials/keytar-credential-store';
import { BridgeError } from '../../../../src-main/core/services/bridge-error';
import { HelpdeskService } from '../../../../src-main/core/services/helpdesk-service';
import { startPreview, type PreviewServer } from '../../../../src-main/preview/preview-server';
import {
  HOSTILE_KEYS,
  HOSTILE_STRINGS,
  spoiled,
  withOwnKey,
} from '../../../support/hostile-inputs';
import { TempDirs, TEST_ENGINE, waitFor } from '../../../support/sync-harness';
import { startTestServer, type TestServer } from '../../../support/test-server';
import { zodArbitrary } from '../../../support/zod-arbitrary';

/**
 * The renderer is untrusted: every bridge call, given payloads its contract refuses (the valid
 * shape spoiled with hostile values and keys, random JSON, non-objects), answers bad_request and
 * runs nothing, through HelpdeskService.invoke (what the IPC handlers call) and through the
 * browser preview's HTTP bridge; hostile but valid text in the calls that work offline is taken or
 * refused with a BridgeError of its own, never `internal`; and the service works on after.
 */

const PASSWORD = 'demo-password-1';
const CALLS = Object.keys(BRIDGE_INVOKE) as BridgeCall[];
const INVALID_PER_CALL = 60;
/** Calls that only read or queue locally: hostile values that the contract accepts are sent too. */
const OFFLINE_CALLS: BridgeCall[] = [
  'listTickets',
  'searchTickets',
  'getTicket',
  'mutate',
  'getDraft',
  'saveDraft',
  'saveView',
  'listLoginHistory',
];
const VALID_PER_CALL = 40;
const STACK_OR_SQL = /\bat .+:\d+:\d+|node_modules|SQLITE_|SqliteError|syntax error|fts5/;

let t: TestServer;
let service: HelpdeskService;
let preview: PreviewServer;
let port: number;
const dirs = new TempDirs();
const store = new KeytarCredentialStore({ serviceSuffix: `test-bridge-fuzz-${randomUUID()}` });

beforeAll(async () => {
  t = await startTestServer({ demo: true, logLevel: 'warn' });
  service = new HelpdeskService({
    dataDir: dirs.make('helpdesk-bridge-fuzz-'),
    credentials: store,
    engine: TEST_ENGINE,
  });
  await service.invoke('signIn', {
    serverUrl: t.server.url,
    tenant: 'acme',
    email: 'agent1@acme.test',
    password: PASSWORD,
    caCertificate: t.ca,
  });
  await waitFor('tickets in the replica', async () => {
    const page = await service.invoke('listTickets', { limit: 1 });
    return page.tickets.length > 0;
  });
  const rendererDir = dirs.make('helpdesk-bridge-fuzz-renderer-');
  mkdirSync(rendererDir, { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>x</title>');
  preview = await startPreview({ rendererDir, dataDir: dirs.make('unused-'), service });
  port = Number(new URL(preview.origin).port);
});

afterAll(async () => {
  await service?.invoke('signOut', { discardPending: true }).catch(() => undefined);
  await preview?.close();
  await service?.close();
  await t?.close();
  for (const account of await store.list().catch(() => [])) await store.delete(account);
  dirs.cleanup();
});

/** Payloads the contract of `call` refuses, as invoke parses them (a missing input is `{}`). */
function invalidInputs(call: BridgeCall, seed: number): unknown[] {
  const schema = BRIDGE_INVOKE[call].input;
  const candidates = fc.sample(
    fc.oneof(
      { weight: 4, arbitrary: spoiled(zodArbitrary(schema)) },
      { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
      {
        weight: 1,
        arbitrary: fc
          .constantFrom(...HOSTILE_KEYS)
          .map((key) => withOwnKey({}, key, { polluted: true })),
      },
      { weight: 1, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
    ),
    { numRuns: INVALID_PER_CALL * 3, seed },
  );
  return candidates
    .filter((input) => !schema.safeParse(input ?? {}).success)
    .slice(0, INVALID_PER_CALL);
}

function post(call: string, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: `/__bridge/invoke/${call}`,
        headers: {
          host: `127.0.0.1:${port}`,
          authorization: `Bearer ${preview.token}`,
          'content-type': 'application/json',
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function outcomeOf(call: BridgeCall, input: unknown): Promise<unknown> {
  const invoke = service.invoke.bind(service) as (c: string, i: unknown) => Promise<unknown>;
  return invoke(call, input).then(
    (value) => ({ resolved: value }),
    (error: unknown) => error,
  );
}

async function stillWorks() {
  expect(await service.invoke('getSession', {})).toMatchObject({
    user: { email: 'agent1@acme.test' },
  });
  const page = await service.invoke('listTickets', { limit: 5 });
  expect(page.tickets.length).toBeGreaterThan(0);
  const status = await service.invoke('syncNow', {});
  expect(status.status.state).not.toBe('error');
}

describe('bridge fuzz', () => {
  it('answers bad_request to every payload a call refuses, through invoke', async () => {
    let count = 0;
    for (const [index, call] of CALLS.entries()) {
      const inputs = invalidInputs(call, 7_000 + index);
      expect(inputs.length, call).toBeGreaterThan(INVALID_PER_CALL / 2);
      for (const input of inputs) {
        const outcome = await outcomeOf(call, input);
        expect(outcome, `${call} ${String(JSON.stringify(input)).slice(0, 200)}`).toBeInstanceOf(
          BridgeError,
        );
        expect(outcome).toMatchObject({
          code: 'bad_request',
          message: `Invalid input for ${call}.`,
        });
        count += 1;
      }
    }
    console.info(`bridge-fuzz: ${count} refused payloads through invoke`);
    expect(count).toBeGreaterThanOrEqual(CALLS.length * (INVALID_PER_CALL / 2));
    await stillWorks();
  }, 120_000);

  it('takes hostile text the contract accepts, or refuses it with its own code, never internal', async () => {
    const codes = new Set<string>();
    let taken = 0;
    for (const [index, call] of OFFLINE_CALLS.entries()) {
      const schema = BRIDGE_INVOKE[call].input;
      const inputs = fc
        .sample(spoiled(zodArbitrary(schema)), { numRuns: VALID_PER_CALL * 4, seed: 9_000 + index })
        .filter((input) => schema.safeParse(input).success)
        .slice(0, VALID_PER_CALL);
      for (const input of inputs) {
        const outcome = await outcomeOf(call, input);
        if (outcome instanceof BridgeError) {
          codes.add(outcome.code);
          expect(outcome.code, `${call} ${JSON.stringify(input).slice(0, 200)}`).not.toBe(
            'internal',
          );
          expect(outcome.message).not.toMatch(STACK_OR_SQL);
        } else {
          taken += 1;
        }
      }
    }
    console.info(`bridge-fuzz: hostile valid payloads taken ${taken}, refused with ${[...codes]}`);
    expect(taken).toBeGreaterThan(0);
    await stillWorks();
  }, 120_000);

  it('searches for every hostile string (FTS5 syntax included) without an error', async () => {
    const schema = BRIDGE_INVOKE.searchTickets.input;
    let searched = 0;
    for (const text of HOSTILE_STRINGS) {
      const outcome = await outcomeOf('searchTickets', { text });
      if (schema.safeParse({ text }).success) {
        expect(outcome, JSON.stringify(text.slice(0, 40))).toMatchObject({
          resolved: { tickets: expect.any(Array) },
        });
        searched += 1;
      } else {
        expect(outcome).toMatchObject({ name: 'BridgeError', code: 'bad_request' });
      }
    }
    expect(searched).toBeGreaterThan(HOSTILE_STRINGS.length - 3);
  });

  it('answers the same payloads through the preview HTTP bridge without a 5xx or internals', async () => {
    let count = 0;
    for (const [index, call] of CALLS.entries()) {
      for (const input of invalidInputs(call, 7_000 + index)) {
        // JSON has no undefined: the body is then absent, which the bridge reads as `{}`.
        const body = JSON.stringify(input);
        if (body === undefined) continue;
        const answer = await post(call, body);
        const what = `${call} ${body.slice(0, 200)}`;
        // Fastify's JSON parser refuses __proto__ and constructor.prototype itself (400); anything
        // else reaches invoke, whose refusal comes back as a failed result (200).
        expect([200, 400], what).toContain(answer.status);
        expect(JSON.parse(answer.text), what).toEqual({
          ok: false,
          error: {
            code: 'bad_request',
            message:
              answer.status === 200 ? `Invalid input for ${call}.` : expect.stringMatching(/\S/),
          },
        });
        expect(answer.text).not.toMatch(STACK_OR_SQL);
        count += 1;
      }
      // Malformed JSON and nesting deeper than any parser's stack.
      for (const body of [
        '{',
        '[1,',
        '"\\ud800"x',
        `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
      ]) {
        const answer = await post(call, body);
        // Malformed JSON is a 400; the deep array parses (V8's parser needs no stack for it) and
        // is then refused by the contract, in a failed result.
        expect(answer.status).toBeLessThan(500);
        expect(JSON.parse(answer.text)).toMatchObject({
          ok: false,
          error: { code: 'bad_request' },
        });
        expect(answer.text).not.toMatch(STACK_OR_SQL);
        count += 1;
      }
    }
    console.info(`bridge-fuzz: ${count} refused payloads through the preview bridge`);
    await stillWorks();
  }, 120_000);
});
