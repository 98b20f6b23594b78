import type * as Keytar from 'keytar';
import { CredentialStoreError, type CredentialStore } from './credential-store';

/** The one keychain service name of the app; every account of every server lives under it. */
export const KEYCHAIN_SERVICE = 'helpdesk-desktop';

export interface KeytarCredentialStoreOptions {
  /**
   * Appended to the service name (`helpdesk-desktop:<suffix>`), for tests, so that test runs never
   * touch, nor collide with, the app's own entries or each other's.
   */
  serviceSuffix?: string;
}

type KeytarModule = typeof Keytar;

let keytarModule: Promise<KeytarModule> | undefined;

/**
 * keytar is loaded on first use, so that an app without a usable native module (or keychain) still
 * starts and can say what is wrong instead of crashing at import.
 */
function loadKeytar(): Promise<KeytarModule> {
  keytarModule ??= import('keytar').then(
    (module) => ((module as { default?: KeytarModule }).default ?? module) as KeytarModule,
  );
  return keytarModule;
}

const MAX_SECRET_CHARS = 4096;

/** The OS keychain through keytar (libsecret on Linux, Keychain on macOS, Credential Vault on Windows). */
export class KeytarCredentialStore implements CredentialStore {
  readonly service: string;

  constructor(options: KeytarCredentialStoreOptions = {}) {
    const suffix = options.serviceSuffix;
    if (suffix !== undefined && !/^[A-Za-z0-9_.-]{1,64}$/.test(suffix)) {
      throw new TypeError('serviceSuffix must be 1-64 letters, digits, _ . or -.');
    }
    this.service = suffix ? `${KEYCHAIN_SERVICE}:${suffix}` : KEYCHAIN_SERVICE;
  }

  async get(account: string): Promise<string | null> {
    checkAccount(account);
    return this.use('read a secret from', (keytar) => keytar.getPassword(this.service, account));
  }

  async set(account: string, secret: string): Promise<void> {
    checkAccount(account);
    if (typeof secret !== 'string' || secret.length === 0 || secret.length > MAX_SECRET_CHARS) {
      throw new TypeError(`A secret is a string of 1 to ${MAX_SECRET_CHARS} characters.`);
    }
    await this.use('store a secret in', (keytar) =>
      keytar.setPassword(this.service, account, secret),
    );
  }

  async delete(account: string): Promise<boolean> {
    checkAccount(account);
    return this.use('remove a secret from', (keytar) =>
      keytar.deletePassword(this.service, account),
    );
  }

  async list(): Promise<string[]> {
    const credentials = await this.use('list the accounts of', (keytar) =>
      keytar.findCredentials(this.service),
    );
    return [...new Set(credentials.map((credential) => credential.account))].sort();
  }

  private async use<T>(what: string, action: (keytar: KeytarModule) => Promise<T>): Promise<T> {
    let keytar: KeytarModule;
    try {
      keytar = await loadKeytar();
    } catch (error) {
      keytarModule = undefined;
      throw new CredentialStoreError(
        `The OS keychain cannot be used: keytar did not load (${errorText(error)}).`,
        { cause: error },
      );
    }
    try {
      return await action(keytar);
    } catch (error) {
      throw new CredentialStoreError(
        `Could not ${what} the OS keychain (${errorText(error)}). On Linux a Secret Service ` +
          '(GNOME Keyring or KWallet) must be running in a D-Bus session and unlocked.',
        { cause: error },
      );
    }
  }
}

function checkAccount(account: string): void {
  if (typeof account !== 'string' || account.length === 0 || account.length > 1024) {
    throw new TypeError('An account name is a string of 1 to 1024 characters.');
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
