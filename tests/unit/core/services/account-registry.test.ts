import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  accountDir,
  accountIdOf,
  AccountRegistry,
  type AccountEntry,
} from '../../../../src-main/core/services/account-registry';
import { TempDirs } from '../../../support/sync-harness';

const dirs = new TempDirs();
afterAll(() => dirs.cleanup());

let next = 0;
/** An account of its own tenant and user on one service, added at `at`. */
function account(label: string, at = '2026-01-01T00:00:00.000Z'): AccountEntry {
  next += 1;
  const suffix = String(next).padStart(12, '0');
  const session = {
    serverUrl: 'https://help.example.com',
    tenant: { id: `00000000-0000-4000-8000-${suffix}`, slug: `t${next}`, name: label },
    user: {
      id: `10000000-0000-4000-8000-${suffix}`,
      name: 'Agent',
      email: `agent@t${next}.test`,
      role: 'agent' as const,
    },
    caCertificate: null,
    allowInsecureLoopback: false,
  };
  return { ...session, id: accountIdOf(session), label, addedAt: at, lastUsedAt: at };
}

describe('AccountRegistry', () => {
  it('keeps accounts in the order added, and the active one, across a restart', () => {
    const dataDir = dirs.make('helpdesk-registry-');
    const registry = new AccountRegistry(dataDir);
    expect(registry.list()).toEqual([]);
    expect(registry.activeId).toBeNull();
    const [a, b] = [account('A'), account('B')];
    registry.put(a);
    registry.put(b);
    registry.activate(b.id, '2026-02-01T00:00:00.000Z');
    // A change of an account (its email) keeps its place.
    registry.put({ ...a, user: { ...a.user, email: 'renamed@t.test' } });

    const reopened = new AccountRegistry(dataDir);
    expect(reopened.list().map((entry) => [entry.label, entry.user.email])).toEqual([
      ['A', 'renamed@t.test'],
      ['B', b.user.email],
    ]);
    expect(reopened.activeId).toBe(b.id);
    expect(reopened.get(b.id)!.lastUsedAt).toBe('2026-02-01T00:00:00.000Z');
    expect(statSync(join(dataDir, 'accounts.json')).mode & 0o777).toBe(0o600);
    expect(() => registry.activate('0'.repeat(32), '2026-02-02T00:00:00.000Z')).toThrow();
  });

  it('hands the active place to the most recently used account, and leaves nothing when empty', () => {
    const dataDir = dirs.make('helpdesk-registry-remove-');
    const registry = new AccountRegistry(dataDir);
    const [a, b, c] = [account('A'), account('B'), account('C')];
    for (const entry of [a, b, c]) registry.put(entry);
    registry.activate(b.id, '2026-03-01T00:00:00.000Z');
    registry.activate(c.id, '2026-03-02T00:00:00.000Z');
    registry.activate(a.id, '2026-03-03T00:00:00.000Z');
    const dir = registry.makeDir(a.id);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(dir).toBe(accountDir(dataDir, a.id));

    // Not the active one: the active one stays.
    expect(registry.remove(b.id)).toBe(a.id);
    // The active one: C, used after B.
    expect(registry.remove(a.id)).toBe(c.id);
    expect(new AccountRegistry(dataDir).activeId).toBe(c.id);
    // The account's folder is its remover's to delete; only an empty accounts folder goes.
    expect(registry.remove(c.id)).toBeNull();
    expect(existsSync(join(dataDir, 'accounts.json'))).toBe(false);
    expect(existsSync(dir)).toBe(true);
  });

  it('reads an unreadable registry as empty, and one naming no active account as the first', () => {
    const dataDir = dirs.make('helpdesk-registry-bad-');
    writeFileSync(join(dataDir, 'accounts.json'), '{ not json');
    expect(new AccountRegistry(dataDir).list()).toEqual([]);
    // Kept aside, not lost: its account folders can still be found by hand.
    expect(readdirSync(dataDir)).toEqual([expect.stringMatching(/^accounts\.json\.unreadable-/)]);

    const a = account('A');
    const file = { version: 1, activeId: 'f'.repeat(32), accounts: [a] };
    writeFileSync(join(dataDir, 'accounts.json'), JSON.stringify(file));
    const registry = new AccountRegistry(dataDir);
    expect(registry.activeId).toBe(a.id);
    expect(JSON.parse(readFileSync(join(dataDir, 'accounts.json'), 'utf8'))).toEqual(file);
  });
});
