interface Props {
  id: string;
  label: string;
  type: 'url' | 'text' | 'email' | 'password';
  value: string;
  onChange: (value: string) => void;
  autoComplete: string;
  placeholder?: string;
  autoFocus?: boolean;
  /** For a form the browser checks itself (forms with noValidate say what is wrong in words). */
  required?: boolean;
}

/** A label and its text box, as siblings in a column form; never corrected or capitalised. */
export function LabelledInput({ id, label, onChange, ...input }: Props) {
  return (
    <>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        {...input}
        onChange={(e) => onChange(e.target.value)}
        autoCapitalize="none"
        spellCheck={false}
      />
    </>
  );
}
