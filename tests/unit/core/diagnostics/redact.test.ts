import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { redact, redactText, REDACTED } from '../../../../src-main/core/diagnostics/redact';

const chars = (alphabet: string, min: number, max: number) =>
  fc
    .array(fc.constantFrom(...alphabet.split('')), { minLength: min, maxLength: max })
    .map((a) => a.join(''));
const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Secrets as they come: opaque tokens, hex keys, base64 keys and JWTs. */
const hexSecret = chars('0123456789abcdef', 32, 80);
const base64Secret = chars(`${B64URL}+/`, 40, 120);
const jwt = fc
  .tuple(chars(B64URL, 8, 40), chars(B64URL, 8, 200), chars(B64URL, 16, 64))
  .map(([h, p, s]) => `eyJ${h}.${p}.${s}`);
/** Anything a person may choose as a password: printable, no spaces at the ends. */
const password = fc
  .string({ minLength: 12, maxLength: 64 })
  .filter((s) => s.trim() === s && /\S{12}/.test(s));
const patternSecret = fc.oneof(hexSecret, base64Secret, jwt);
/** What people wrote: any text, long enough not to turn up by chance. */
const content = fc.string({ minLength: 12, maxLength: 300 }).filter((s) => s.trim().length >= 12);
/** Harmless words around secrets in messages. */
const words = fc
  .array(fc.constantFrom('sync', 'failed', 'at', 'push', 'retry', '(', ')', ':'), {
    maxLength: 6,
  })
  .map((w) => w.join(' '));

describe('redact', () => {
  it('never lets a secret under a secret key, or a body, through', () => {
    fc.assert(
      fc.property(password, patternSecret, content, content, (pw, token, body, description) => {
        const entry = {
          request: {
            headers: {
              Authorization: `Bearer ${token}`,
              cookie: `sid=${pw}`,
              'x-request-id': 'r1',
            },
            body: { password: pw, refreshToken: token },
          },
          currentPassword: pw,
          newPassword: pw,
          accessToken: token,
          mutation: { name: 'addComment', args: { ticketId: 't1', body } },
          ticket: { description, subject: body },
          comments: [{ body }, { text: description }],
          caCertificate: token,
        };
        const out = JSON.stringify(redact(entry));
        for (const secret of [pw, token, body, description]) {
          expect(out).not.toContain(secret);
          expect(out).not.toContain(JSON.stringify(secret).slice(1, -1));
        }
        expect(out).toContain('r1');
        expect(out).toContain('addComment');
      }),
    );
  });

  it('finds tokens and keys inside free text by their shape', () => {
    fc.assert(
      fc.property(patternSecret, words, words, (secret, before, after) => {
        for (const text of [
          `${before} ${secret} ${after}`,
          `${before}:${secret}`,
          `GET /x?token=${secret}&a=1`,
          `authorization: Bearer ${secret}`,
          `{"apiKey":"${secret}"}`,
        ]) {
          const out = redactText(text);
          expect(out, text).not.toContain(secret);
        }
      }),
    );
  });

  it('removes a password written as name=value in a message', () => {
    fc.assert(
      fc.property(
        password.filter((s) => !/[\s"'&,;}]/.test(s)),
        words,
        (pw, before) => {
          for (const text of [
            `${before} password=${pw}`,
            `{"password": "${pw}"}`,
            `secret: ${pw}`,
          ]) {
            expect(redactText(text)).not.toContain(pw);
          }
        },
      ),
    );
  });

  it('keeps what diagnosis needs', () => {
    const entry = {
      event: 'sync.failed',
      code: 'network',
      message: 'The server could not be reached.',
      ticketId: '3f2504e0-4f89-41d3-9a0c-0305e82c3301',
      path: '/home/agent/.config/Help Desk/logs/helpdesk.log',
      status: 503,
      pending: 4,
    };
    expect(redact(entry)).toEqual(entry);
  });

  it('turns errors into name, message, code and a scrubbed stack', () => {
    const token = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyLTEifQ.c2lnbmF0dXJlLXNpZ25hdHVyZQ';
    const error = Object.assign(new Error(`refused Bearer ${token}`), { code: 'E_TEST' });
    const out = redact({ error }) as { error: Record<string, string> };
    expect(out.error).toMatchObject({
      name: 'Error',
      code: 'E_TEST',
      message: `refused Bearer ${REDACTED}`,
    });
    expect(JSON.stringify(out)).not.toContain(token);
    expect(out.error.stack).toContain('redact.test.ts');
  });

  it('masks emails when asked, and bounds cycles, depth and length', () => {
    expect(redactText('from jane.doe@example.com', { maskEmails: true })).toBe(
      'from j***@e***.com',
    );
    expect(redactText('from jane.doe@example.com')).toBe('from jane.doe@example.com');
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(redact(cyclic)).toEqual({ a: 1, self: '[cycle]' });
    let deep: unknown = 'bottom';
    for (let i = 0; i < 20; i++) deep = { next: deep };
    expect(JSON.stringify(redact(deep))).toContain('[deep]');
    expect(redactText('x '.repeat(5000)).length).toBeLessThan(2100);
  });
});
