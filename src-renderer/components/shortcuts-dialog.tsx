import { SHORTCUT_GROUPS } from '../lib/keymap';
import { SETTINGS_SHORTCUTS } from '../lib/settings-keymap';
import { ModalDialog } from './modal-dialog';

const GROUPS = [...SHORTCUT_GROUPS, ['Settings', SETTINGS_SHORTCUTS]] as const;

export function ShortcutsDialog({ onClose }: { onClose: () => void }) {
  return (
    <ModalDialog label="Keyboard shortcuts" onClose={onClose}>
      <h2>Keyboard shortcuts</h2>
      <div className="shortcut-groups">
        {GROUPS.map(([group, rows]) => (
          <table key={group} className="shortcuts">
            <caption>{group}</caption>
            <thead>
              <tr>
                <th scope="col">Keys</th>
                <th scope="col">Action</th>
              </tr>
            </thead>
            <tbody>
              {rows.map(([keys, what]) => (
                <tr key={keys}>
                  <td>
                    <kbd>{keys}</kbd>
                  </td>
                  <td>{what}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ))}
      </div>
      <div className="form-actions">
        <button type="button" autoFocus onClick={onClose}>
          Close
        </button>
      </div>
    </ModalDialog>
  );
}
