import { join } from 'node:path';
import { z } from 'zod';
import { readJsonFile, writeJsonFile } from '../files/json-file';

const DEFAULTS = { autoDownload: true, lastCheckedAt: null };

/** What the app keeps about its updates across restarts, in the app's data folder. */
const StoredUpdatePreferences = z
  .object({
    autoDownload: z.boolean().catch(true),
    lastCheckedAt: z.iso.datetime().nullable().catch(null),
  })
  .catch(() => DEFAULTS);
export type UpdatePreferences = z.infer<typeof StoredUpdatePreferences>;

const FILE = 'updates.json';

/** The kept preferences; a missing or unreadable file gives the defaults (download automatically). */
export function readUpdatePreferences(dataDir: string): UpdatePreferences {
  return readJsonFile(join(dataDir, FILE), StoredUpdatePreferences, DEFAULTS);
}

export function writeUpdatePreferences(dataDir: string, preferences: UpdatePreferences): void {
  writeJsonFile(join(dataDir, FILE), preferences);
}
