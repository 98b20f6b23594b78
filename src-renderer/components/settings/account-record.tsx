import type { ReactNode } from 'react';
import { useApp } from '../../state/store';
import { ErrorAlert } from '../error-alert';

interface Props<T> {
  record: T | null;
  /** What the record is, for the line shown until it arrives: "Your profile". */
  what: string;
  children: (record: T) => ReactNode;
}

/** One of the settings' records once it is read, or why it is not there (yet). */
export function AccountRecord<T>({ record, what, children }: Props<T>) {
  const error = useApp((s) => s.accountError);
  const loaded = useApp((s) => s.accountLoaded);
  return (
    <>
      <ErrorAlert message={error} />
      {record ? (
        children(record)
      ) : (
        <p className="hint">
          {loaded
            ? `${what} has not arrived on this computer yet. It comes with the next sync.`
            : 'Loading…'}
        </p>
      )}
    </>
  );
}
