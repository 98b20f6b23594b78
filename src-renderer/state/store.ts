import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import { initialList, type ListSlice } from './list-slice';
import { initialNotifications, type NotificationsSlice } from './notifications-slice';
import { initialSession, type SessionSlice } from './session-slice';
import { initialSettings, type SettingsSlice } from './settings-slice';
import { initialSync, type SyncSlice } from './sync-slice';
import { initialTicket, type TicketSlice } from './ticket-slice';
import { initialTriage, type TriageSlice } from './triage-slice';

export type AppState = SessionSlice &
  SyncSlice &
  ListSlice &
  TicketSlice &
  SettingsSlice &
  TriageSlice &
  NotificationsSlice;

/** One store built from the slices; the actions in ../actions are what change it. */
export const createAppStore = () =>
  createStore<AppState>()(() => ({
    ...initialSession(),
    ...initialSync(),
    ...initialList(),
    ...initialTicket(),
    ...initialSettings(),
    ...initialTriage(),
    ...initialNotifications(),
  }));

export const appStore = createAppStore();

export const useApp = <T>(selector: (state: AppState) => T): T => useStore(appStore, selector);

/** Back to a signed-out app (the app info stays: the sign-in form uses it). */
export function resetAfterSignOut(): void {
  appStore.setState({
    ...initialSession(),
    ...initialSync(),
    ...initialList(),
    ...initialTicket(),
    ...initialSettings(),
    ...initialTriage(),
    ...initialNotifications(),
    appInfo: appStore.getState().appInfo,
    started: true,
  });
}
