import type { AccountDiskUsage } from '../../../src-shared/bridge/accounts';
import { formatBytes } from '../../lib/format';

/** Each signed-in account's folder on this computer: its replica, drafts and attachments. */
export function AccountsOnDisk({ accounts }: { accounts: readonly AccountDiskUsage[] }) {
  return (
    <table className="data-table">
      <caption>Disk used by each account</caption>
      <thead>
        <tr>
          <th scope="col">Account</th>
          <th scope="col">Email</th>
          <th scope="col">On this computer</th>
        </tr>
      </thead>
      <tbody>
        {accounts.map((account) => (
          <tr key={account.id}>
            <td>{account.label}</td>
            <td>{account.email}</td>
            <td>{formatBytes(account.bytes)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
