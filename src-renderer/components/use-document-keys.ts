import { useEffect, useRef } from 'react';
import { isTypingTarget, type PhysicalKeyPress } from '../lib/keymap';

/**
 * Key presses on the whole document, as the keymaps (lib/) take them, for as long as the component
 * is mounted. A modal dialog handles its own keys (Esc closes it), so none reach `onKey` then.
 */
export function useDocumentKeys(
  onKey: (press: PhysicalKeyPress, event: KeyboardEvent) => void,
): void {
  const handler = useRef(onKey);
  handler.current = onKey;

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || document.querySelector('dialog[open]')) return;
      const target = event.target instanceof HTMLElement ? event.target : null;
      handler.current(
        {
          key: event.key,
          code: event.code,
          ctrlKey: event.ctrlKey,
          metaKey: event.metaKey,
          altKey: event.altKey,
          inField: target !== null && isTypingTarget(target),
        },
        event,
      );
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, []);
}
