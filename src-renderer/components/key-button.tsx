import type { ReactNode } from 'react';

interface Props {
  /** As aria-keyshortcuts says them ("Control+K Meta+K"). */
  keyshortcuts: string;
  /** As the button shows them ("Ctrl+K"). */
  shown: string;
  onClick: () => void;
  children: ReactNode;
  className?: string;
}

/** A small button that shows its keyboard shortcut (which assistive technology is told too). */
export function KeyButton({ keyshortcuts, shown, onClick, children, className }: Props) {
  return (
    <button
      type="button"
      className={className ? `small ${className}` : 'small'}
      aria-keyshortcuts={keyshortcuts}
      onClick={onClick}
    >
      {children} <kbd aria-hidden="true">{shown}</kbd>
    </button>
  );
}
