import { useState, type FormEvent } from 'react';
import { closeDialog } from '../actions/dialog-actions';
import { saveSearchAsView } from '../actions/view-actions';
import { appStore } from '../state/store';
import { DialogFormEnd } from './dialog-form-end';
import { LabelledInput } from './labelled-input';
import { ModalDialog } from './modal-dialog';

/** The search shown (or typed) now, which the view will run again each time it is opened. */
function currentSearch(): string {
  const { source, searchDraft } = appStore.getState();
  return source.kind === 'search' ? source.text : searchDraft;
}

/** `v`: saves a search as a view of the sidebar, whose count stays up to date. */
export function SaveViewDialog() {
  const [name, setName] = useState('');
  const [search, setSearch] = useState(currentSearch);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (name.trim() === '' || search.trim() === '') {
      setError('A view needs a name and a search.');
      return;
    }
    setBusy(true);
    const problem = await saveSearchAsView(name, search);
    setBusy(false);
    setError(problem);
    if (!problem) closeDialog();
  };

  return (
    <ModalDialog labelledBy="save-view-title" onClose={closeDialog}>
      <h2 id="save-view-title">Save as a view</h2>
      <form className="dialog-form" onSubmit={(e) => void onSubmit(e)}>
        <LabelledInput
          id="view-name"
          label="View name"
          type="text"
          value={name}
          onChange={setName}
          autoComplete="off"
          autoFocus
        />
        <LabelledInput
          id="view-search"
          label="Search"
          type="text"
          value={search}
          onChange={setSearch}
          autoComplete="off"
          placeholder="status:open tag:vip printer…"
        />
        <DialogFormEnd error={error} submit="Save view" busy={busy} onCancel={closeDialog} />
      </form>
    </ModalDialog>
  );
}
