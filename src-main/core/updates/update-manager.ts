import type { UpdateState, UpdateStatus } from '../../../src-shared/bridge/updates';
import { NO_LOG, type Logger } from '../diagnostics/logger';
import { BridgeError } from '../services/bridge-error';
import { updateFailureMessage } from './update-failure';
import {
  readUpdatePreferences,
  writeUpdatePreferences,
  type UpdatePreferences,
} from './update-preferences';

/**
 * What the shell's updater does for the core: electron-updater in the packaged app
 * (src-main/electron/app-updater.ts), checking and downloading over the update feed.
 */
export interface Updater {
  /** Asks the feed; answers the newer version it offers, or null when this one is the newest. */
  check(): Promise<string | null>;
  /** Downloads what the last check found and verifies it (sha512); `onProgress` gets 0–100. */
  download(onProgress: (percent: number) => void): Promise<void>;
  /** Quits the app and installs the downloaded version; throws when it cannot (the app goes on). */
  install(): void;
}

export interface UpdateManagerOptions {
  currentVersion: string;
  /** The shell's updater; null: this shell cannot update itself, for `unsupportedReason`. */
  updater: Updater | null;
  unsupportedReason?: string;
  /** Where automatic downloads and the last check are kept (`updates.json`). */
  dataDir: string;
  clock?: () => Date;
  log?: Logger;
  /** How often `start` checks (4 hours), and how long after the start it checks first (10 s). */
  checkEveryMs?: number;
  firstCheckMs?: number;
}

const HOUR_MS = 3_600_000;

/**
 * The app's own updates: checks on start and every few hours (and when asked), downloads a newer
 * version in the background (or when asked, with automatic downloads off), and installs it on
 * "Restart to update" once the data is safely closed. Listeners hear every change of the status.
 */
export class UpdateManager {
  private update: UpdateState;
  private preferences: UpdatePreferences;
  private checking: Promise<UpdateStatus> | null = null;
  private downloading: Promise<void> | null = null;
  private readonly listeners = new Set<(status: UpdateStatus) => void>();
  private readonly clock: () => Date;
  private readonly log: Logger;

  constructor(private readonly options: UpdateManagerOptions) {
    this.clock = options.clock ?? (() => new Date());
    this.log = options.log ?? NO_LOG;
    this.preferences = readUpdatePreferences(options.dataDir);
    this.update = options.updater
      ? { state: 'idle' }
      : { state: 'unsupported', reason: options.unsupportedReason ?? 'Updates are unavailable.' };
  }

  status(): UpdateStatus {
    return {
      currentVersion: this.options.currentVersion,
      autoDownload: this.preferences.autoDownload,
      lastCheckedAt: this.preferences.lastCheckedAt,
      update: this.update,
    };
  }

  /** Calls `listener` with each new status; returns a function that stops it. */
  subscribe(listener: (status: UpdateStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Checks soon after the start, then every few hours; returns a function that stops it. */
  start(): () => void {
    if (!this.options.updater) return () => undefined;
    const check = () => void this.check();
    const first = setTimeout(check, this.options.firstCheckMs ?? 10_000);
    const every = setInterval(check, this.options.checkEveryMs ?? 4 * HOUR_MS);
    return () => {
      clearTimeout(first);
      clearInterval(every);
    };
  }

  /**
   * Asks the feed now. Answers once it has answered: a download it starts goes on in the
   * background. During a download there is nothing to ask (its version is the newest known).
   */
  check(): Promise<UpdateStatus> {
    if (!this.options.updater || this.downloading) return Promise.resolve(this.status());
    this.checking ??= this.runCheck(this.options.updater).finally(() => (this.checking = null));
    return this.checking;
  }

  /** Starts downloading the version a check found (automatic downloads off). */
  async download(): Promise<UpdateStatus> {
    const { update } = this;
    if (update.state === 'available') this.startDownload(update.version);
    else if (update.state !== 'downloading' && update.state !== 'ready') {
      throw new BridgeError('bad_request', 'There is no update to download; check first.');
    }
    return this.status();
  }

  async setAutoDownload(autoDownload: boolean): Promise<UpdateStatus> {
    this.savePreferences({ ...this.preferences, autoDownload });
    const { update } = this;
    if (autoDownload && update.state === 'available') this.startDownload(update.version);
    else this.emit();
    return this.status();
  }

  /**
   * "Restart to update": `closeData` closes every replica first (its outbox is committed on disk,
   * and the new version sends it), then the updater quits the app and installs. If it cannot,
   * `reopenData` opens the data again and the app goes on as it was.
   */
  async restart(closeData: () => Promise<void>, reopenData: () => Promise<unknown>): Promise<void> {
    const { updater } = this.options;
    const { update } = this;
    if (!updater || update.state !== 'ready') {
      throw new BridgeError('bad_request', 'No update is ready to install yet.');
    }
    this.log.info('updates.install', { version: update.version });
    await closeData();
    try {
      updater.install();
    } catch (error) {
      this.log.error('updates.install-failed', { version: update.version, error });
      await reopenData();
      throw new BridgeError(
        'update_failed',
        `Update ${update.version} could not be installed. Help Desk goes on with this version.`,
      );
    }
  }

  private async runCheck(updater: Updater): Promise<UpdateStatus> {
    const before = this.update;
    this.set({ state: 'checking' });
    let version: string | null;
    try {
      version = await updater.check();
    } catch (error) {
      this.log.warn('updates.check-failed', { error });
      // A downloaded update stays installable whatever the feed says now.
      this.set(
        before.state === 'ready'
          ? before
          : { state: 'failed', message: updateFailureMessage('check', error) },
      );
      return this.status();
    }
    this.savePreferences({ ...this.preferences, lastCheckedAt: this.clock().toISOString() });
    this.log.info('updates.checked', { available: version });
    if (version === null) this.set({ state: 'idle' });
    else if (before.state === 'ready' && before.version === version) this.set(before);
    else if (this.preferences.autoDownload) this.startDownload(version);
    else this.set({ state: 'available', version });
    return this.status();
  }

  private startDownload(version: string): void {
    const updater = this.options.updater!;
    this.set({ state: 'downloading', version, percent: 0 });
    this.downloading = updater
      .download((percent) => {
        // Whole percents: the renderer hears of the progress, not of every block.
        const whole = Math.min(100, Math.max(0, Math.floor(percent)));
        const now = this.update;
        if (now.state === 'downloading' && now.percent !== whole) {
          this.set({ state: 'downloading', version, percent: whole });
        }
      })
      .then(
        () => {
          this.log.info('updates.downloaded', { version });
          this.set({ state: 'ready', version });
        },
        (error: unknown) => {
          this.log.warn('updates.download-failed', { version, error });
          this.set({ state: 'failed', message: updateFailureMessage('download', error) });
        },
      )
      .finally(() => (this.downloading = null));
  }

  private savePreferences(preferences: UpdatePreferences): void {
    this.preferences = preferences;
    try {
      writeUpdatePreferences(this.options.dataDir, preferences);
    } catch (error) {
      // Kept for this run at least; the next change tries the file again.
      this.log.warn('updates.preferences-not-saved', { error });
    }
  }

  private set(update: UpdateState): void {
    this.update = update;
    this.emit();
  }

  private emit(): void {
    const status = this.status();
    for (const listener of [...this.listeners]) listener(status);
  }
}
