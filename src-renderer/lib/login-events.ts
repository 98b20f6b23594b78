import type { LoginEvent } from '../../src-shared/domain/entities';

/** A log-in event's outcome and device, in the words the log-in history shows. */

export const RESULT_TEXT: Record<LoginEvent['reason'], string> = {
  ok: 'Signed in',
  bad_credentials: 'Wrong email or password',
  account_disabled: 'Account deactivated',
  rate_limited: 'Blocked after too many attempts',
  password_setup_required: 'Password not set up yet',
  wrong_current_password: 'Wrong current password when changing it',
};

/** Longest device text shown; the whole user agent is in the cell's title. */
const DEVICE_MAX = 40;

const BROWSERS: ReadonlyArray<[RegExp, string]> = [
  [/\bEdg(?:e|A|iOS)?\//, 'Edge'],
  [/\bOPR\//, 'Opera'],
  [/\bFirefox\//, 'Firefox'],
  [/\bElectron\//, 'Electron'],
  [/\b(?:Chrome|CriOS|Chromium)\//, 'Chrome'],
  [/\bSafari\//, 'Safari'],
];

const SYSTEMS: ReadonlyArray<[RegExp, string]> = [
  [/\bWindows\b/, 'Windows'],
  [/\b(?:iPhone|iPad)\b/, 'iOS'],
  [/\bMac OS X\b|\bMacintosh\b/, 'macOS'],
  [/\bAndroid\b/, 'Android'],
  [/\bCrOS\b/, 'ChromeOS'],
  [/\bLinux\b/, 'Linux'],
];

const first = (list: ReadonlyArray<[RegExp, string]>, text: string) =>
  list.find(([pattern]) => pattern.test(text))?.[1];

/** "Chrome on Linux", "Help desk app", or the user agent's first word, cut to a sensible length. */
export function deviceText(userAgent: string | null): string {
  const agent = userAgent?.trim() ?? '';
  if (agent === '') return 'Unknown device';
  if (/^helpdesk-desktop\b/i.test(agent)) return 'Help desk app';
  const browser = first(BROWSERS, agent);
  const system = first(SYSTEMS, agent);
  if (browser) return system ? `${browser} on ${system}` : browser;
  const word = agent.split(/[\s(]/, 1)[0] ?? agent;
  return word.length > DEVICE_MAX ? `${word.slice(0, DEVICE_MAX - 1)}…` : word;
}

/** An IPv4 address as people write it, also when the service saw it IPv4-mapped (::ffff:1.2.3.4). */
export const ipText = (ip: string) => ip.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');
