import { ErrorAlert } from './error-alert';

interface Props {
  error: string | null;
  /** The submit button's text. */
  submit: string;
  busy: boolean;
  onCancel: () => void;
}

/** The end of a dialog's form: what went wrong, the submit button and Cancel. */
export function DialogFormEnd({ error, submit, busy, onCancel }: Props) {
  return (
    <>
      <ErrorAlert message={error} />
      <div className="form-actions">
        <button type="submit" className="primary" disabled={busy}>
          {submit}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </>
  );
}
