import { useEffect } from 'react';
import { useApp } from '../state/store';

/**
 * The chosen theme on the root element: styles.css reads it (System leaves the choice to the
 * OS's prefers-color-scheme, which the page follows live).
 */
export function useTheme(): void {
  const theme = useApp((s) => s.deviceSettings?.theme ?? 'system');
  useEffect(() => {
    document.documentElement.dataset['theme'] = theme;
  }, [theme]);
}
