import { useEffect, useRef, type ReactNode } from 'react';

interface Props {
  label?: string;
  labelledBy?: string;
  role?: 'dialog' | 'alertdialog';
  onClose: () => void;
  children: ReactNode;
}

/** A native modal <dialog>: focus stays inside, Esc closes, the page behind is inert. */
export function ModalDialog({ label, labelledBy, role, onClose, children }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    // Unmounting removes the element, which ends the modal state: no close() (it would fire onClose).
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);
  return (
    <dialog
      ref={ref}
      className="modal"
      role={role}
      aria-label={label}
      aria-labelledby={labelledBy}
      onClose={onClose}
    >
      {children}
    </dialog>
  );
}
