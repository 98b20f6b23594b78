import type { ShownField } from '../../lib/account-fields';
import { shownValue } from '../../lib/record-form';

interface Props<K extends string> {
  fields: readonly ShownField<K>[];
  record: Readonly<Partial<Record<K, unknown>>>;
}

/** A record's fields as label and value, read-only ("Not set" for an empty optional field). */
export function ValueList<K extends string>({ fields, record }: Props<K>) {
  return (
    <dl className="value-list">
      {fields.map((field) => (
        <div key={field.key}>
          <dt>{field.label}</dt>
          <dd>{shownValue(record[field.key]) || 'Not set'}</dd>
        </div>
      ))}
    </dl>
  );
}
