import { z } from 'zod';
import type { NewWorkNotice } from './new-work';

/**
 * Choices that belong to this computer rather than to an account: the theme and which notices
 * come. They outlive sign-outs, and the main process needs them too (the window's colours, the
 * desktop notifications), so they are kept there, not in the renderer's storage.
 */

/** `system` follows the OS's light or dark setting, live. */
export const THEMES = ['system', 'light', 'dark'] as const;
export const Theme = z.enum(THEMES);
export type Theme = z.infer<typeof Theme>;

export const THEME_LABELS: Record<Theme, string> = {
  system: 'System',
  light: 'Light',
  dark: 'Dark',
};

/** The theme after `theme` in the cycle its shortcut goes round: System → Light → Dark → System. */
export const nextTheme = (theme: Theme): Theme =>
  THEMES[(THEMES.indexOf(theme) + 1) % THEMES.length]!;

type NoticeKind = NewWorkNotice['kind'];

/** Which kinds of notice come at all, in the Notifications list and on the desktop. */
const NoticeKinds = z.strictObject({
  assigned: z.boolean(),
  'customer-reply': z.boolean(),
  'needs-attention': z.boolean(),
} satisfies Record<NoticeKind, z.ZodBoolean>);

export const NotificationChoices = z.strictObject({
  kinds: NoticeKinds,
  /** Each notice also as a desktop notification (where the shell has them). */
  desktop: z.boolean(),
  /** Do not disturb: no desktop notification before this time (the list still gets them). */
  quietUntil: z.iso.datetime().nullable(),
});
export type NotificationChoices = z.infer<typeof NotificationChoices>;

export const DeviceSettings = z.strictObject({
  theme: Theme,
  notifications: NotificationChoices,
});
export type DeviceSettings = z.infer<typeof DeviceSettings>;

export const DEFAULT_DEVICE_SETTINGS: DeviceSettings = {
  theme: 'system',
  notifications: {
    kinds: { assigned: true, 'customer-reply': true, 'needs-attention': true },
    desktop: true,
    quietUntil: null,
  },
};

/** What `updateDeviceSettings` takes: only the choices that change. */
export const DeviceSettingsChange = z.strictObject({
  theme: Theme.optional(),
  notifications: z
    .strictObject({
      kinds: NoticeKinds.partial().optional(),
      desktop: z.boolean().optional(),
      quietUntil: z.iso.datetime().nullable().optional(),
    })
    .optional(),
});
export type DeviceSettingsChange = z.infer<typeof DeviceSettingsChange>;

export function changeDeviceSettings(
  settings: DeviceSettings,
  change: DeviceSettingsChange,
): DeviceSettings {
  const { kinds, ...notifications } = change.notifications ?? {};
  return {
    theme: change.theme ?? settings.theme,
    notifications: {
      ...settings.notifications,
      ...notifications,
      kinds: { ...settings.notifications.kinds, ...kinds },
    },
  };
}

/**
 * The settings as stored: a part that cannot be read (a file edited by hand, a choice this
 * version does not know) falls back to its default, and the rest is kept.
 */
export const StoredDeviceSettings = z
  .object({
    theme: Theme.catch(DEFAULT_DEVICE_SETTINGS.theme),
    notifications: NotificationChoices.catch(DEFAULT_DEVICE_SETTINGS.notifications),
  })
  .catch(DEFAULT_DEVICE_SETTINGS);

/** The notices of the kinds chosen; the others are dropped (not kept for later). */
export function chosenNotices<T extends Pick<NewWorkNotice, 'kind'>>(
  notices: readonly T[],
  choices: NotificationChoices,
): T[] {
  return notices.filter((notice) => choices.kinds[notice.kind]);
}

/** When the do-not-disturb time under way at `now` ends, or null when there is none. */
export function doNotDisturbUntil(choices: NotificationChoices, now: Date): string | null {
  const until = choices.quietUntil;
  return until !== null && Date.parse(until) > now.getTime() ? until : null;
}

/** Whether notices may show as desktop notifications now: on, and not in a do-not-disturb time. */
export const desktopNotificationsNow = (choices: NotificationChoices, now: Date): boolean =>
  choices.desktop && doNotDisturbUntil(choices, now) === null;
