interface Props {
  /** Referenced by the field's aria-describedby. */
  id: string;
  label: string;
  pending: boolean;
}

/**
 * Whether the service has confirmed a field's value yet: "Phone: Pending" until the sync that
 * takes it, then "Phone: Confirmed".
 */
export function FieldState({ id, label, pending }: Props) {
  const state = pending ? 'pending' : 'confirmed';
  const text = pending ? 'Pending' : 'Confirmed';
  return (
    <span
      id={id}
      role="note"
      aria-label={`${label}: ${text}`}
      data-state={state}
      className={`field-state ${state}`}
    >
      {text}
    </span>
  );
}
