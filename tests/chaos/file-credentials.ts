import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { CredentialStore } from '../../src-main/core/credentials/credential-store';

/**
 * A credential store in one JSON file, for the chaos clients: they are SIGKILLed and started again
 * thousands of times, in parallel, without a desktop session bus for the OS keychain. Each write
 * replaces the file whole (rename), so a kill leaves the old content or the new, never half.
 */
export class FileCredentials implements CredentialStore {
  constructor(private readonly file: string) {}

  private read(): Record<string, string> {
    if (!existsSync(this.file)) return {};
    return JSON.parse(readFileSync(this.file, 'utf8')) as Record<string, string>;
  }

  private write(entries: Record<string, string>): void {
    writeFileSync(`${this.file}.tmp`, JSON.stringify(entries), { mode: 0o600 });
    renameSync(`${this.file}.tmp`, this.file);
  }

  async get(account: string): Promise<string | null> {
    return this.read()[account] ?? null;
  }

  async set(account: string, secret: string): Promise<void> {
    this.write({ ...this.read(), [account]: secret });
  }

  async delete(account: string): Promise<boolean> {
    const entries = this.read();
    if (!(account in entries)) return false;
    delete entries[account];
    this.write(entries);
    return true;
  }

  async list(): Promise<string[]> {
    return Object.keys(this.read());
  }
}
