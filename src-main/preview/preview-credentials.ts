import type { CredentialStore } from '../core/credentials/credential-store';
import { KeytarCredentialStore } from '../core/credentials/keytar-credential-store';

/** Secrets kept in this process only: gone when the preview stops. */
export class MemoryCredentialStore implements CredentialStore {
  private readonly secrets = new Map<string, string>();

  async get(account: string): Promise<string | null> {
    return this.secrets.get(account) ?? null;
  }
  async set(account: string, secret: string): Promise<void> {
    this.secrets.set(account, secret);
  }
  async delete(account: string): Promise<boolean> {
    return this.secrets.delete(account);
  }
  async list(): Promise<string[]> {
    return [...this.secrets.keys()];
  }
}

export const NO_KEYCHAIN =
  'No OS keychain answers here (on Linux: no unlocked Secret Service in a D-Bus session), so the ' +
  'preview keeps your sign-in in memory only: sign in again after a restart.';

/**
 * The OS keychain when it answers; otherwise (a server or container without a Secret Service) an
 * in-memory store, so the preview still works, and the notice saying so.
 */
export async function previewCredentials(): Promise<{
  store: CredentialStore;
  notice: string | null;
}> {
  const keychain = new KeytarCredentialStore();
  try {
    await keychain.list();
    return { store: keychain, notice: null };
  } catch {
    return { store: new MemoryCredentialStore(), notice: NO_KEYCHAIN };
  }
}
