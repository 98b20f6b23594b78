import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import type { SessionInfo } from '../../src-shared/bridge/contract';
import { initialDevice, type DeviceSlice } from './device-slice';
import { initialList, type ListSlice } from './list-slice';
import { initialNotifications, type NotificationsSlice } from './notifications-slice';
import { initialSession, type SessionSlice } from './session-slice';
import { initialSettings, type SettingsSlice } from './settings-slice';
import { initialSync, type SyncSlice } from './sync-slice';
import { initialTicket, type TicketSlice } from './ticket-slice';
import { initialTriage, type TriageSlice } from './triage-slice';
import { initialUpdates, type UpdatesSlice } from './updates-slice';

export type AppState = SessionSlice &
  SyncSlice &
  ListSlice &
  TicketSlice &
  SettingsSlice &
  TriageSlice &
  NotificationsSlice &
  DeviceSlice &
  UpdatesSlice;

/** What the app holds of an account, as before anything was loaded. */
const noAccountState = () => ({
  ...initialSession(),
  ...initialSync(),
  ...initialList(),
  ...initialTicket(),
  ...initialSettings(),
  ...initialTriage(),
  ...initialNotifications(),
});

/** One store built from the slices; the actions in ../actions are what change it. */
export const createAppStore = () =>
  createStore<AppState>()(() => ({
    ...noAccountState(),
    ...initialDevice(),
    ...initialUpdates(),
  }));

export const appStore = createAppStore();

export const useApp = <T>(selector: (state: AppState) => T): T => useStore(appStore, selector);

/** Back to a signed-out app (the app info and this computer's choices stay). */
export function resetAfterSignOut(): void {
  appStore.setState({ ...noAccountState(), appInfo: appStore.getState().appInfo, started: true });
}

/**
 * Another account is shown: nothing of the last one stays (the app info, this computer's choices
 * and the account list do). `everSynced`: its replica has been filled before.
 */
export function resetForAccount(session: SessionInfo, everSynced: boolean): void {
  const { appInfo, accounts } = appStore.getState();
  appStore.setState({
    ...noAccountState(),
    appInfo,
    accounts,
    started: true,
    session,
    everSynced,
  });
}
