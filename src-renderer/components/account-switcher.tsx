import { startAddingAccount, switchAccount } from '../actions/accounts-actions';
import { accountShortcut, accountStateText } from '../lib/account-text';
import { useApp } from '../state/store';

/**
 * Every signed-in account with its pending changes (each keeps syncing in the background); a
 * click or Ctrl/⌘ and its number shows it. "Add account" signs in to another one.
 */
export function AccountSwitcher() {
  const accounts = useApp((s) => s.accounts);
  return (
    <nav aria-label="Accounts" className="account-switcher">
      <ul>
        {accounts.map((account, index) => (
          <li key={account.id}>
            <button
              type="button"
              className="account-button"
              aria-current={account.active ? 'true' : undefined}
              aria-keyshortcuts={accountShortcut(index)}
              onClick={() => void switchAccount(account.id)}
            >
              <span className="account-name">{account.label}</span>
              <span className="account-email">{account.user.email}</span>
              <span className="account-state">{accountStateText(account)}</span>
            </button>
          </li>
        ))}
      </ul>
      <button type="button" className="small add-account" onClick={startAddingAccount}>
        Add account
      </button>
    </nav>
  );
}
