import { describe, expect, it } from 'vitest';
import {
  diagnosticsReport,
  systemInfo,
} from '../../../../src-main/core/diagnostics/diagnostics-report';

const base = {
  app: { version: '1.2.3', shell: 'electron' as const, signInDefaults: null },
  system: { OS: 'linux 6.1 (x64)', Node: '20.0.0' },
  generatedAt: '2026-01-02T03:04:05.000Z',
};

describe('diagnosticsReport', () => {
  it('lists versions, system, account and sync, with the email masked', () => {
    const text = diagnosticsReport({
      ...base,
      account: {
        serverUrl: 'https://help.example.com',
        tenant: 'acme',
        email: 'jane.doe@acme.test',
        role: 'admin',
      },
      sync: {
        status: { state: 'error', code: 'upgrade_required', reason: 'Update.', retryAt: null },
        pending: 3,
        needsAttention: 1,
        held: 0,
      },
      logLines: [],
    });
    expect(text.split('\n').slice(0, 6)).toEqual([
      'Help Desk diagnostics, 2026-01-02T03:04:05.000Z',
      'App: 1.2.3 (electron)',
      'OS: linux 6.1 (x64)',
      'Node: 20.0.0',
      'Account: j***@a***.test (admin) at acme on https://help.example.com',
      'Sync: {"state":"error","code":"upgrade_required","reason":"Update.","retryAt":null}; ' +
        'pending 3, needs attention 1, held 0',
    ]);
  });

  it('redacts log lines again, JSON by key and any other line by pattern', () => {
    const token = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyIn0.c2lnbmF0dXJlLXNpZ25hdHVyZQ';
    const text = diagnosticsReport({
      ...base,
      account: null,
      sync: null,
      logLines: [
        JSON.stringify({ event: 'old', body: 'what the customer wrote', by: 'jo@example.com' }),
        `2026-01-01T00:00:00Z uncaught-exception Error: refused Bearer ${token}`,
      ],
    });
    expect(text).toContain('Account: signed out');
    expect(text).toContain('Recent log (2 lines):');
    expect(text).toContain('{"event":"old","body":"[redacted]","by":"j***@e***.com"}');
    expect(text).toContain('uncaught-exception Error: refused Bearer [redacted]');
    expect(text).not.toContain(token);
  });
});

describe('systemInfo', () => {
  it('names the OS and the Node version of this process', () => {
    expect(systemInfo()).toMatchObject({
      OS: expect.stringMatching(/\S+ \S+ \(\w+\)/),
      Node: process.versions.node,
    });
  });
});
