import { randomUUID } from 'node:crypto';
import keytar from 'keytar';
import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { accountKey } from '../../../../src-main/core/credentials/credential-store';
import {
  KEYCHAIN_SERVICE,
  KeytarCredentialStore,
} from '../../../../src-main/core/credentials/keytar-credential-store';

/**
 * The keytar store against the REAL OS keychain: gnome-keyring's Secret Service in the D-Bus
 * session that `npm test` starts (tests/run-all.ts). With no keychain these tests fail, with the
 * store's message saying why; they never skip.
 *
 * By hand: dbus-run-session -- sh -c 'echo -n pw | XDG_DATA_HOME=$(mktemp -d) \
 *   gnome-keyring-daemon --unlock --components=secrets >/dev/null; npx vitest run tests/integration/core/credentials'
 */

// A service name of this run alone, so that runs never see each other's entries or the app's.
const suffix = `test-${randomUUID()}`;
const store = new KeytarCredentialStore({ serviceSuffix: suffix });
const serviceName = `${KEYCHAIN_SERVICE}:${suffix}`;

const alice = accountKey('https://help.example.test', 'acme', 'Alice@Acme.test');
const bob = accountKey('https://help.example.test:8443/', 'acme', 'bob@acme.test');
const carol = accountKey('https://other.example.test', 'globex', 'carol@globex.test');

afterAll(async () => {
  // Leave nothing behind, whatever happened above.
  for (const { account } of await keytar.findCredentials(serviceName).catch(() => [])) {
    await keytar.deletePassword(serviceName, account);
  }
});

describe('KeytarCredentialStore in the OS keychain', () => {
  // Fails (never skips) with a clear message when there is no usable keychain; every other test
  // here then fails too, each with the store's CredentialStoreError.
  it('finds the OS keychain available', async () => {
    try {
      await keytar.findCredentials(serviceName);
    } catch (error) {
      throw new Error(
        `The OS keychain is not available (${String(error)}). Run the tests through \`npm test\`, ` +
          'which starts a D-Bus session with gnome-keyring, or see the comment at the top of this file.',
      );
    }
  });

  it('uses one fixed service name, with the test suffix', () => {
    expect(store.service).toBe(serviceName);
    expect(new KeytarCredentialStore().service).toBe('helpdesk-desktop');
  });

  it('sets, gets, lists and deletes, leaving nothing after', async () => {
    expect(await store.list()).toEqual([]);
    expect(await store.get(alice)).toBeNull();

    await store.set(alice, 'rt_alice_1');
    await store.set(bob, 'rt_bob_1');
    await store.set(carol, 'rt_carol_1');
    expect(await store.get(alice)).toBe('rt_alice_1');
    expect(await store.get(bob)).toBe('rt_bob_1');
    expect(await store.list()).toEqual([alice, bob, carol].sort());

    // What the store wrote is really in the keychain, under the fixed service name.
    expect(await keytar.getPassword(serviceName, alice)).toBe('rt_alice_1');

    // A rotated token replaces the old one: still one entry per account.
    await store.set(alice, 'rt_alice_2');
    expect(await store.get(alice)).toBe('rt_alice_2');
    expect(
      (await keytar.findCredentials(serviceName)).filter((c) => c.account === alice),
    ).toHaveLength(1);

    expect(await store.delete(alice)).toBe(true);
    expect(await store.delete(alice)).toBe(false);
    expect(await store.get(alice)).toBeNull();
    expect(await store.list()).toEqual([bob, carol].sort());

    expect(await store.delete(bob)).toBe(true);
    expect(await store.delete(carol)).toBe(true);
    expect(await store.list()).toEqual([]);
    expect(await keytar.findCredentials(serviceName)).toEqual([]);
  });

  it('keeps stores of different service names apart', async () => {
    const other = new KeytarCredentialStore({ serviceSuffix: `${suffix}-other` });
    try {
      await other.set(alice, 'secret-of-the-other-store');
      expect(await store.get(alice)).toBeNull();
      expect(await store.list()).toEqual([]);
      expect(await other.list()).toEqual([alice]);
    } finally {
      await other.delete(alice);
    }
    expect(await other.list()).toEqual([]);
  });

  it('stores secrets exactly, unicode included', async () => {
    const secret = 'rt_ünïcødé_✓_' + 'x'.repeat(400);
    await store.set(carol, secret);
    expect(await store.get(carol)).toBe(secret);
    await store.delete(carol);
  });

  it('refuses empty accounts and secrets instead of storing them', async () => {
    await expect(store.set('', 'x')).rejects.toThrow(TypeError);
    await expect(store.set(alice, '')).rejects.toThrow(TypeError);
    await expect(store.get('')).rejects.toThrow(TypeError);
    expect(await store.list()).toEqual([]);
  });

  it('says clearly that the keychain is unavailable, in a process without one', () => {
    const script = [
      "import { KeytarCredentialStore } from './src-main/core/credentials/keytar-credential-store';",
      "import { CredentialStoreError } from './src-main/core/credentials/credential-store';",
      `new KeytarCredentialStore({ serviceSuffix: '${suffix}' }).set('a', 'b').then(`,
      "  () => console.log('STORED'),",
      "  (e) => console.log(e instanceof CredentialStoreError ? 'CSE ' + e.message : 'OTHER ' + e));",
    ].join('\n');
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus',
    };
    delete env['DISPLAY'];
    const child = spawnSync(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      {
        env,
        encoding: 'utf8',
        timeout: 15_000,
      },
    );
    expect(child.stderr).toBe('');
    expect(child.stdout).toMatch(
      /^CSE Could not store a secret in the OS keychain \(.+\)\. On Linux a Secret Service/,
    );
  });
});
