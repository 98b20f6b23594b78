import type {
  EditableCompany,
  EditablePreferences,
  EditableProfile,
} from '../../src-shared/bridge/contract';
import type { LoginEvent } from '../../src-shared/domain/entities';
import type { SettingsTab } from '../lib/settings-tabs';

export type LoginScope = 'me' | 'tenant';

/** The settings screen: whether it is open, its section, and the records it shows. */
export interface SettingsSlice {
  settingsOpen: boolean;
  settingsTab: SettingsTab;
  /** The replica's records: what the agent sees now, the service's copy, the unconfirmed fields. */
  profile: EditableProfile | null;
  company: EditableCompany | null;
  preferences: EditablePreferences | null;
  /** The records have been read once since the settings opened (null then means: not here yet). */
  accountLoaded: boolean;
  /** Reading the records failed. */
  accountError: string | null;
  /** The log-in history, asked of the service (online only); null until it answers. */
  loginScope: LoginScope;
  logins: LoginEvent[] | null;
  loginsLoading: boolean;
  loginsError: { code: string; message: string } | null;
}

export const initialSettings = (): SettingsSlice => ({
  settingsOpen: false,
  settingsTab: 'profile',
  profile: null,
  company: null,
  preferences: null,
  accountLoaded: false,
  accountError: null,
  loginScope: 'me',
  logins: null,
  loginsLoading: false,
  loginsError: null,
});
