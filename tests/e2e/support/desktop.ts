import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KeytarCredentialStore } from '../../../src-main/core/credentials/keytar-credential-store';
import {
  HelpdeskService,
  type HelpdeskServiceOptions,
} from '../../../src-main/core/services/helpdesk-service';
import { startPreview, type PreviewServer } from '../../../src-main/preview/preview-server';
import { RENDERER_DIR } from './paths';

/** Sync engine tuning for one test (backoff, page sizes); unset: the engine's defaults. */
export type EngineTuning = HelpdeskServiceOptions['engine'];

/**
 * The desktop app as a test runs it: the browser preview over a data folder and keychain entries
 * of its own, which can be closed and started again over the same folder (the app restarting).
 */
export class Desktop {
  private readonly dataDir = mkdtempSync(join(tmpdir(), 'helpdesk-e2e-desktop-'));
  private readonly serviceSuffix = `e2e-${randomUUID()}`;
  private core: HelpdeskService | null = null;
  private running: PreviewServer | null = null;

  constructor(private readonly engine: EngineTuning | undefined) {}

  get preview(): PreviewServer {
    if (!this.running) throw new Error('the desktop is not running');
    return this.running;
  }

  /** Starts the app: a session of an earlier run comes back from its file and the keychain. */
  async start(): Promise<PreviewServer> {
    // The preview makes its own core unless the engine needs tuning, which only a core made here
    // can have; that one is restored here as the preview restores its own.
    this.core = this.engine
      ? new HelpdeskService({
          dataDir: this.dataDir,
          credentials: new KeytarCredentialStore({ serviceSuffix: this.serviceSuffix }),
          appInfo: { version: '0.0.0-e2e', shell: 'preview', signInDefaults: null },
          engine: this.engine,
        })
      : null;
    if (this.core && (await this.core.restore())) this.core.networkUp();
    this.running = await startPreview({
      rendererDir: RENDERER_DIR,
      dataDir: this.dataDir,
      credentialServiceSuffix: this.serviceSuffix,
      signInDefaults: null,
      ...(this.core ? { service: this.core } : {}),
    });
    return this.running;
  }

  /** Quits the app (its data folder and keychain entries stay). */
  async stop(): Promise<void> {
    await this.running?.close();
    await this.core?.close();
    this.running = null;
    this.core = null;
  }

  /** The last lines of the app's own log (`<data folder>/logs`), or null when it has none. */
  logTail(lines = 80): string | null {
    const file = join(this.dataDir, 'logs', 'helpdesk.log');
    if (!existsSync(file)) return null;
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  }

  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}
