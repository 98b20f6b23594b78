import type { LocalDataUsage } from '../../src-shared/bridge/contract';
import { helpdesk } from '../bridge';
import { parseBridgeError } from '../lib/bridge-error';
import { formatCount } from '../lib/format';
import { appStore } from '../state/store';

/** "Local data & diagnostics": each answers its value, or the error to show. */

export type Outcome<T> = { value: T; error: null } | { value: null; error: string };

/** A bridge call's value, or the message of its failure. */
export async function attempt<T>(run: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { value: await run(), error: null };
  } catch (error) {
    return { value: null, error: parseBridgeError(error).message };
  }
}

export const loadLocalDataUsage = (): Promise<Outcome<LocalDataUsage>> =>
  attempt(() => helpdesk().getLocalDataUsage({}));

const keptText = (count: number) =>
  count === 1
    ? 'The change not sent yet is kept and sent when the app syncs.'
    : `The ${formatCount(count)} changes not sent yet are kept and sent when the app syncs.`;

/** What the reset dialog says of the changes not sent yet. */
export const pendingKeptText = (count: number) =>
  count > 0 ? keptText(count) : 'You have no changes waiting to be sent.';

/**
 * Starts over from the service. The outcome is the app's notice: the download that follows shows
 * the initial-sync screen, which replaces the settings for a while.
 */
export async function resetLocalData(): Promise<string | null> {
  const { value, error } = await attempt(() => helpdesk().resetLocalData({}));
  if (!value) return error;
  const kept = value.pendingKept > 0 ? ` ${keptText(value.pendingKept)}` : '';
  appStore.setState({ notice: `Local data reset: everything is downloaded again.${kept}` });
  return null;
}

/** The report, also put on the clipboard when the browser lets the page write there. */
export async function copyDiagnostics(): Promise<Outcome<{ text: string; copied: boolean }>> {
  const report = await attempt(() => helpdesk().copyDiagnostics({}));
  if (!report.value) return report;
  const copied = await navigator.clipboard?.writeText(report.value.text).then(
    () => true,
    () => false,
  );
  return { value: { text: report.value.text, copied: copied ?? false }, error: null };
}
