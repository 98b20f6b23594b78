import type { ShownField } from '../../lib/account-fields';
import { ValueList } from './value-list';

interface Props<K extends string> {
  idPrefix: string;
  fields: readonly ShownField<K>[];
  /** The service's copy, as of the last sync (null before the first). */
  confirmed: Readonly<Partial<Record<K, unknown>>> | null;
}

/** The seed's "view your updated profile to confirm": the service's copy of every field. */
export function ConfirmedCopy<K extends string>({ idPrefix, fields, confirmed }: Props<K>) {
  const titleId = `${idPrefix}-confirmed-title`;
  return (
    <section className="confirmed-copy" aria-labelledby={titleId}>
      <h3 id={titleId}>Confirmed by the service</h3>
      <p className="hint">This is what the service holds. It updates after each sync.</p>
      {confirmed ? (
        <ValueList fields={fields} record={confirmed} />
      ) : (
        <p>The service&apos;s copy has not arrived yet. It comes with the next sync.</p>
      )}
    </section>
  );
}
