import { chooseScreen } from './lib/screen';
import { InitialSyncScreen } from './screens/initial-sync-screen';
import { SettingsScreen } from './screens/settings-screen';
import { useTheme } from './components/use-theme';
import { SignInScreen } from './screens/sign-in-screen';
import { Workspace } from './screens/workspace';
import { useApp } from './state/store';

export function App() {
  const screen = useApp((s) =>
    chooseScreen({
      started: s.started,
      signedIn: s.session !== null,
      reauth: s.reauth,
      sync: s.sync,
      everSynced: s.everSynced,
      settingsOpen: s.settingsOpen,
      addingAccount: s.addingAccount,
    }),
  );

  useTheme();

  switch (screen) {
    case 'loading':
      return <p className="boot">Loading…</p>;
    case 'sign-in':
      return <SignInScreen />;
    case 'setup':
      return <InitialSyncScreen />;
    case 'workspace':
      return <Workspace />;
    case 'settings':
      return <SettingsScreen />;
  }
}
