import { describe, expect, it } from 'vitest';
import {
  changeDeviceSettings,
  chosenNotices,
  DEFAULT_DEVICE_SETTINGS,
  desktopNotificationsNow,
  doNotDisturbUntil,
  DeviceSettingsChange,
  nextTheme,
  StoredDeviceSettings,
  type NotificationChoices,
} from '../../../../src-shared/bridge/device-settings';
import type { NewWorkNotice } from '../../../../src-shared/bridge/new-work';

const NOTICES: NewWorkNotice[] = [
  { kind: 'assigned', ticketId: 't1', number: 1, subject: 'A' },
  { kind: 'customer-reply', ticketId: 't2', number: 2, subject: 'B' },
  { kind: 'needs-attention', itemId: 3, ticketId: null, problem: 'rejected' },
  { kind: 'assigned', ticketId: 't4', number: 4, subject: 'D' },
];
const choices = (change: DeviceSettingsChange['notifications']): NotificationChoices =>
  changeDeviceSettings(DEFAULT_DEVICE_SETTINGS, { notifications: change }).notifications;

describe('the theme', () => {
  it('cycles System → Light → Dark → System', () => {
    expect(nextTheme('system')).toBe('light');
    expect(nextTheme('light')).toBe('dark');
    expect(nextTheme('dark')).toBe('system');
  });
});

describe('notification choices', () => {
  it('keep every kind by default, in order', () => {
    expect(chosenNotices(NOTICES, DEFAULT_DEVICE_SETTINGS.notifications)).toEqual(NOTICES);
  });

  it('drop the kinds turned off and keep the others', () => {
    expect(chosenNotices(NOTICES, choices({ kinds: { assigned: false } }))).toEqual([
      NOTICES[1],
      NOTICES[2],
    ]);
    expect(
      chosenNotices(
        NOTICES,
        choices({ kinds: { 'customer-reply': false, 'needs-attention': false } }),
      ),
    ).toEqual([NOTICES[0], NOTICES[3]]);
    const none = choices({
      kinds: { assigned: false, 'customer-reply': false, 'needs-attention': false },
    });
    expect(chosenNotices(NOTICES, none)).toEqual([]);
  });

  it('show desktop notifications unless off or before the end of a do-not-disturb time', () => {
    const now = new Date('2025-06-01T12:00:00.000Z');
    expect(desktopNotificationsNow(DEFAULT_DEVICE_SETTINGS.notifications, now)).toBe(true);
    expect(desktopNotificationsNow(choices({ desktop: false }), now)).toBe(false);
    const quiet = choices({ quietUntil: '2025-06-01T13:00:00.000Z' });
    expect(desktopNotificationsNow(quiet, now)).toBe(false);
    expect(doNotDisturbUntil(quiet, now)).toBe('2025-06-01T13:00:00.000Z');
    const end = new Date('2025-06-01T13:00:00.000Z');
    expect(desktopNotificationsNow(quiet, end)).toBe(true);
    expect(doNotDisturbUntil(quiet, end)).toBeNull();
    expect(doNotDisturbUntil(DEFAULT_DEVICE_SETTINGS.notifications, now)).toBeNull();
    // Off stays off after the quiet time.
    const offAndQuiet = choices({ desktop: false, quietUntil: '2025-06-01T11:00:00.000Z' });
    expect(desktopNotificationsNow(offAndQuiet, now)).toBe(false);
  });
});

describe('a change', () => {
  it('changes only what it names', () => {
    const dark = changeDeviceSettings(DEFAULT_DEVICE_SETTINGS, { theme: 'dark' });
    expect(dark).toEqual({ ...DEFAULT_DEVICE_SETTINGS, theme: 'dark' });
    const next = changeDeviceSettings(dark, { notifications: { kinds: { assigned: false } } });
    expect(next).toEqual({
      theme: 'dark',
      notifications: {
        ...DEFAULT_DEVICE_SETTINGS.notifications,
        kinds: { assigned: false, 'customer-reply': true, 'needs-attention': true },
      },
    });
  });

  it('refuses unknown choices, kinds and themes, and times that are not times', () => {
    const bad: unknown[] = [
      { theme: 'solarized' },
      { colour: 'red' },
      { notifications: { kinds: { mentions: false } } },
      { notifications: { kinds: { assigned: 'no' } } },
      { notifications: { sound: true } },
      { notifications: { quietUntil: 'tomorrow' } },
      { notifications: { desktop: 1 } },
    ];
    for (const input of bad)
      expect(DeviceSettingsChange.safeParse(input).success, JSON.stringify(input)).toBe(false);
    expect(DeviceSettingsChange.parse({ notifications: { quietUntil: null } })).toEqual({
      notifications: { quietUntil: null },
    });
  });
});

describe('the stored settings', () => {
  it('fall back part by part: an unreadable part takes its default, the rest is kept', () => {
    expect(StoredDeviceSettings.parse(null)).toEqual(DEFAULT_DEVICE_SETTINGS);
    expect(
      StoredDeviceSettings.parse({
        theme: 'neon',
        notifications: { ...choices({ desktop: false }) },
      }),
    ).toEqual({ ...DEFAULT_DEVICE_SETTINGS, notifications: choices({ desktop: false }) });
    expect(StoredDeviceSettings.parse({ theme: 'dark', notifications: 'loud' })).toEqual({
      ...DEFAULT_DEVICE_SETTINGS,
      theme: 'dark',
    });
  });
});
