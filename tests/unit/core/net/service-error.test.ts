import { describe, expect, it } from 'vitest';
import {
  classifyTransportError,
  messageOf,
  parseRetryAfter,
  ServiceError,
  SERVICE_ERROR_KINDS,
} from '../../../../src-main/core/net/service-error';
import { PinMismatchError } from '../../../../src-main/core/net/tls-agent';

const NOW = Date.parse('2026-03-01T12:00:00Z');

describe('parseRetryAfter', () => {
  it.each([
    ['7', 7],
    [' 120 ', 120],
    ['0', 0],
    ['Sun, 01 Mar 2026 12:00:30 GMT', 30],
    ['Sun, 01 Mar 2026 12:00:29 GMT', 29],
    ['Sunday, 01-Mar-26 12:01:00 GMT', 60],
    ['Sun Mar  1 12:00:45 2026', 45],
    ['Sun, 01 Mar 2026 11:00:00 GMT', 0],
    ['999999999', 86_400],
  ])('%j → %j seconds', (value, seconds) => {
    expect(parseRetryAfter(value, NOW)).toBe(seconds);
  });

  it.each([
    [undefined],
    [''],
    ['soon'],
    ['-5'],
    ['1.5'],
    ['2026-03-01'],
    ['Sun, 01 Foo 2026 12:00:30 GMT'],
    ['Sun, 01 Mar 2026 12:00:30 CET'],
    [42],
    [null],
  ])('%j is unreadable: null', (value) => {
    expect(parseRetryAfter(value, NOW)).toBeNull();
  });

  it('takes the first of repeated headers', () => {
    expect(parseRetryAfter(['3', '9'], NOW)).toBe(3);
  });
});

describe('classifyTransportError', () => {
  const coded = (code: string, message = code) => Object.assign(new Error(message), { code });

  it.each([
    ['SELF_SIGNED_CERT_IN_CHAIN', 'tls_untrusted'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'tls_untrusted'],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'tls_untrusted'],
    ['UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'tls_untrusted'],
    ['CERT_HAS_EXPIRED', 'tls_expired'],
    ['CERT_NOT_YET_VALID', 'tls_expired'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'tls_hostname'],
    ['ECONNREFUSED', 'network'],
    ['ECONNRESET', 'network'],
    ['ENOTFOUND', 'network'],
    ['EAI_AGAIN', 'network'],
    ['ETIMEDOUT', 'network'],
    ['ERR_SSL_WRONG_VERSION_NUMBER', 'network'],
  ])('%s → %s', (code, kind) => {
    const error = classifyTransportError(coded(code));
    expect(error.kind).toBe(kind);
    expect(error.systemCode).toBe(code);
    expect(error.message.length).toBeGreaterThan(10);
  });

  it('finds the code on a wrapped cause (as axios wraps Node errors)', () => {
    const wrapped = new Error('request failed', { cause: coded('CERT_HAS_EXPIRED') });
    expect(classifyTransportError(wrapped).kind).toBe('tls_expired');
  });

  it('finds the code in an AggregateError (dual-stack connection attempts)', () => {
    const aggregate = new AggregateError([coded('ECONNREFUSED'), coded('ECONNREFUSED')], '');
    expect(classifyTransportError(aggregate)).toMatchObject({
      kind: 'network',
      systemCode: 'ECONNREFUSED',
    });
  });

  it('maps a pin mismatch to tls_pin_mismatch', () => {
    expect(classifyTransportError(new PinMismatchError('h', ['x'])).kind).toBe('tls_pin_mismatch');
  });

  it('reports a deadline as a timeout, whatever the error underneath says', () => {
    expect(classifyTransportError(coded('ERR_CANCELED'), true)).toMatchObject({
      kind: 'network',
      systemCode: 'ETIMEDOUT',
      message: 'The server did not answer in time.',
    });
  });

  it('never classifies a certificate problem as a timeout', () => {
    expect(classifyTransportError(coded('CERT_HAS_EXPIRED'), true).kind).toBe('tls_expired');
  });

  it('maps anything else to network, with a code', () => {
    expect(classifyTransportError('weird')).toMatchObject({
      kind: 'network',
      systemCode: 'UNKNOWN',
    });
  });

  it('passes a ServiceError through', () => {
    const error = new ServiceError('bad_response');
    expect(classifyTransportError(error)).toBe(error);
  });
});

describe('ServiceError', () => {
  it('has a message for a person for every kind', () => {
    for (const kind of SERVICE_ERROR_KINDS) {
      const error = new ServiceError(kind);
      expect(error.message).toBe(messageOf(kind));
      expect(error.message).toMatch(/^[A-Z].+\.$/);
      expect(error).toBeInstanceOf(Error);
      expect(error.name).toBe('ServiceError');
    }
    expect(new ServiceError('tls_untrusted').message).toBe(
      "The server's certificate is not trusted.",
    );
  });

  it('says which kinds are retried by themselves', () => {
    expect(new ServiceError('network').retryable).toBe(true);
    expect(new ServiceError('http', { status: 429 }).retryable).toBe(true);
    expect(new ServiceError('http', { status: 503 }).retryable).toBe(true);
    expect(new ServiceError('http', { status: 401 }).retryable).toBe(false);
    expect(new ServiceError('http', { status: 409 }).retryable).toBe(false);
    for (const kind of [
      'tls_untrusted',
      'tls_expired',
      'tls_hostname',
      'tls_pin_mismatch',
    ] as const) {
      expect(new ServiceError(kind).retryable).toBe(false);
      expect(new ServiceError(kind).isTls).toBe(true);
    }
    expect(new ServiceError('bad_response').retryable).toBe(false);
  });

  it('bounds a message that came from a server', () => {
    expect(new ServiceError('http', { message: 'x'.repeat(10_000) }).message).toHaveLength(500);
  });

  it('is() narrows by kind', () => {
    const error: unknown = new ServiceError('http', { status: 410, code: 'cursor_expired' });
    expect(ServiceError.is(error)).toBe(true);
    expect(ServiceError.is(error, 'http')).toBe(true);
    expect(ServiceError.is(error, 'network', 'bad_response')).toBe(false);
    expect(ServiceError.is(new Error('x'))).toBe(false);
  });
});
