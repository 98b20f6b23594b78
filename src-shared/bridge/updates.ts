import { z } from 'zod';

/**
 * The app's own updates, as the main process reports them to the renderer: what it is doing now
 * (`update`), and what the Settings show (this version, the last check, automatic downloads).
 */

/** What the updater is doing. */
export const UpdateState = z.discriminatedUnion('state', [
  /** This shell cannot update itself (the browser preview, a development build, a package). */
  z.object({ state: z.literal('unsupported'), reason: z.string() }),
  /** No update known: not checked yet, or this is the newest version. */
  z.object({ state: z.literal('idle') }),
  z.object({ state: z.literal('checking') }),
  /** A newer version is on the feed; automatic downloads are off, so it waits to be asked. */
  z.object({ state: z.literal('available'), version: z.string() }),
  z.object({
    state: z.literal('downloading'),
    version: z.string(),
    percent: z.number().min(0).max(100),
  }),
  /** Downloaded and verified: restarting installs it. */
  z.object({ state: z.literal('ready'), version: z.string() }),
  /** The last check or download failed; the next check tries again. */
  z.object({ state: z.literal('failed'), message: z.string() }),
]);
export type UpdateState = z.infer<typeof UpdateState>;

export const UpdateStatus = z.object({
  currentVersion: z.string(),
  /** Download a newer version as soon as a check finds it (else wait for "Download"). */
  autoDownload: z.boolean(),
  /** When the feed last answered a check (ISO time), or null. */
  lastCheckedAt: z.string().nullable(),
  update: UpdateState,
});
export type UpdateStatus = z.infer<typeof UpdateStatus>;

export const UpdatePreferencesInput = z.strictObject({ autoDownload: z.boolean() });

/** The status in one sentence: the Settings' status line, a check's answer. */
export function updateSummary(status: UpdateStatus): string {
  const { update } = status;
  switch (update.state) {
    case 'unsupported':
      return update.reason;
    case 'idle':
      return status.lastCheckedAt === null
        ? 'Not checked for updates yet.'
        : `Help Desk ${status.currentVersion} is up to date.`;
    case 'checking':
      return 'Checking for updates…';
    case 'available':
      return `Update ${update.version} is available.`;
    case 'downloading':
      return `Downloading update ${update.version}… ${update.percent}%`;
    case 'ready':
      return `Update ${update.version} ready — Restart to update.`;
    case 'failed':
      return update.message;
  }
}
