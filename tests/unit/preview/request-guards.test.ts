import { describe, expect, it } from 'vitest';
import {
  hasPreviewToken,
  isPreviewHost,
  isPreviewOrigin,
  newPreviewToken,
} from '../../../src-main/preview/request-guards';

describe('preview request guards', () => {
  it('makes a new 32-byte base64url token each time', () => {
    const token = newPreviewToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    expect(newPreviewToken()).not.toBe(token);
  });

  it('accepts only the loopback names on its own port as Host', () => {
    expect(isPreviewHost('127.0.0.1:8080', 8080)).toBe(true);
    expect(isPreviewHost('localhost:8080', 8080)).toBe(true);
    for (const host of [
      undefined,
      '',
      '127.0.0.1',
      '127.0.0.1:8081',
      'evil.test:8080',
      '[::1]:8080',
    ]) {
      expect(isPreviewHost(host, 8080), String(host)).toBe(false);
    }
  });

  it('accepts no Origin or its own', () => {
    expect(isPreviewOrigin(undefined, 8080)).toBe(true);
    expect(isPreviewOrigin('http://127.0.0.1:8080', 8080)).toBe(true);
    for (const origin of [
      'null',
      'http://evil.test',
      'https://127.0.0.1:8080',
      'http://127.0.0.1:1',
    ]) {
      expect(isPreviewOrigin(origin, 8080), origin).toBe(false);
    }
  });

  it('wants exactly `Bearer <token>`', () => {
    const token = newPreviewToken();
    expect(hasPreviewToken(`Bearer ${token}`, token)).toBe(true);
    for (const header of [
      undefined,
      token,
      `bearer ${token}`,
      `Bearer ${token}x`,
      `Bearer ${token.slice(1)}`,
      'Bearer ',
    ]) {
      expect(hasPreviewToken(header, token), String(header)).toBe(false);
    }
  });
});
