import { describe, expect, it } from 'vitest';
import {
  accountKey,
  parseAccountKey,
} from '../../../../src-main/core/credentials/credential-store';

describe('accountKey', () => {
  it('normalises the server to its origin and the tenant and email to lower case', () => {
    const key = 'https://help.example.com|acme|agent1@acme.test';
    expect(accountKey('https://help.example.com', 'acme', 'agent1@acme.test')).toBe(key);
    expect(accountKey('https://HELP.example.com:443/', ' ACME ', ' Agent1@ACME.test ')).toBe(key);
  });

  it('keeps servers, tenants and users apart', () => {
    const keys = new Set([
      accountKey('https://help.example.com', 'acme', 'a@acme.test'),
      accountKey('https://help.example.com:8443', 'acme', 'a@acme.test'),
      accountKey('http://help.example.com', 'acme', 'a@acme.test'),
      accountKey('https://help.example.com', 'globex', 'a@acme.test'),
      accountKey('https://help.example.com', 'acme', 'b@acme.test'),
    ]);
    expect(keys.size).toBe(5);
  });

  it('refuses parts that would make an ambiguous key', () => {
    expect(() => accountKey('https://h.example.com', 'ac|me', 'a@acme.test')).toThrow(TypeError);
    expect(() => accountKey('https://h.example.com', 'acme', 'a|b@acme.test')).toThrow(TypeError);
    expect(() => accountKey('https://h.example.com', 'acme', 'no-at-sign')).toThrow(TypeError);
    expect(() => accountKey('https://h.example.com/path', 'acme', 'a@acme.test')).toThrow(
      TypeError,
    );
  });

  it('parses back what it makes, and nothing else', () => {
    const key = accountKey('https://help.example.com:8443', 'acme', 'A@acme.test');
    expect(parseAccountKey(key)).toEqual({
      serverUrl: 'https://help.example.com:8443',
      tenantSlug: 'acme',
      userEmail: 'a@acme.test',
    });
    expect(parseAccountKey('https://HELP.example.com|acme|a@acme.test')).toBeNull();
    expect(parseAccountKey('something else')).toBeNull();
    expect(parseAccountKey('a|b|c|d')).toBeNull();
  });
});
