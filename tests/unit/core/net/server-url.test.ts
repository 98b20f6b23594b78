import { describe, expect, it } from 'vitest';
import {
  checkedServerOrigin,
  isLoopbackHost,
  serverOrigin,
} from '../../../../src-main/core/net/server-url';
import { ServiceError } from '../../../../src-main/core/net/service-error';

describe('isLoopbackHost', () => {
  it.each(['localhost', 'LOCALHOST', '127.0.0.1', '127.1.2.3', '::1', '[::1]'])(
    '%s is loopback',
    (host) => {
      expect(isLoopbackHost(host)).toBe(true);
    },
  );
  it.each([
    'example.com',
    '10.0.0.1',
    '192.168.1.1',
    '128.0.0.1',
    '::2',
    'localhost.example.com',
    '127.example.com',
    'app.localhost',
  ])('%s is not', (host) => {
    expect(isLoopbackHost(host)).toBe(false);
  });
});

describe('serverOrigin', () => {
  it.each([
    ['https://Help.Example.COM', 'https://help.example.com'],
    ['https://help.example.com/', 'https://help.example.com'],
    ['https://help.example.com:443/', 'https://help.example.com'],
    ['https://help.example.com:8443', 'https://help.example.com:8443'],
    ['  https://127.0.0.1:9000  ', 'https://127.0.0.1:9000'],
    ['http://[::1]:80', 'http://[::1]'],
  ])('%s → %s', (input, origin) => {
    expect(serverOrigin(input)).toBe(origin);
  });

  it.each([
    'not a url',
    'https://help.example.com/helpdesk',
    'https://h.example.com/?x=1',
    'https://h.example.com/#a',
    'https://user:pw@h.example.com',
  ])('refuses %s', (input) => {
    expect(() => serverOrigin(input)).toThrow(TypeError);
  });
});

describe('checkedServerOrigin', () => {
  const kindOf = (fn: () => unknown) => {
    try {
      fn();
    } catch (error) {
      return error instanceof ServiceError ? error.kind : String(error);
    }
    return 'accepted';
  };

  it('accepts https anywhere', () => {
    expect(checkedServerOrigin('https://help.example.com')).toBe('https://help.example.com');
  });

  it('accepts plain http only to loopback and only when allowed', () => {
    expect(checkedServerOrigin('http://127.0.0.1:8080', true)).toBe('http://127.0.0.1:8080');
    expect(checkedServerOrigin('http://localhost:8080', true)).toBe('http://localhost:8080');
    expect(checkedServerOrigin('http://[::1]:8080', true)).toBe('http://[::1]:8080');
    expect(kindOf(() => checkedServerOrigin('http://127.0.0.1:8080'))).toBe('insecure_url');
    expect(kindOf(() => checkedServerOrigin('http://help.example.com', true))).toBe('insecure_url');
    expect(kindOf(() => checkedServerOrigin('http://192.168.0.10', true))).toBe('insecure_url');
  });

  it('refuses other schemes as insecure_url', () => {
    expect(kindOf(() => checkedServerOrigin('ftp://127.0.0.1', true))).toBe('insecure_url');
    expect(kindOf(() => checkedServerOrigin('file:///etc/passwd', true))).toBe('insecure_url');
    expect(kindOf(() => checkedServerOrigin('ws://127.0.0.1', true))).toBe('insecure_url');
  });
});
