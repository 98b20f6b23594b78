import type { Page } from '@playwright/test';

export type ScreenName = 'sign-in' | 'initial sync' | 'workspace';

type RecordingWindow = Window & { __screens?: ScreenName[]; __firstRow?: string };

/**
 * Records, from before the app's first script, every screen the page shows in turn (by the UI
 * contract's roles and names), so that even a screen shown for a moment is seen; and the text of
 * the first row the ticket list ever showed.
 */
export async function recordScreens(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const screens: ScreenName[] = [];
    const recording = window as RecordingWindow;
    recording.__screens = screens;
    const current = (): ScreenName | null => {
      if (document.querySelector('[role="listbox"][aria-label="Tickets"]')) return 'workspace';
      if (document.querySelector('[role="progressbar"][aria-label="Initial sync"]')) {
        return 'initial sync';
      }
      const heading = document.querySelector('h1')?.textContent;
      return heading === 'Sign in to your help desk' ? 'sign-in' : null;
    };
    new MutationObserver(() => {
      const screen = current();
      if (screen && screens[screens.length - 1] !== screen) screens.push(screen);
      const row = document.querySelector('[role="listbox"][aria-label="Tickets"] [role="option"]');
      if (row && recording.__firstRow === undefined) recording.__firstRow = row.textContent ?? '';
    }).observe(document, { subtree: true, childList: true });
  });
}

export async function screensSeen(page: Page): Promise<ScreenName[]> {
  return (await page.evaluate(() => (window as RecordingWindow).__screens)) ?? [];
}

/** The text of the first row the ticket list showed, once it showed one. */
export async function firstRowSeen(page: Page): Promise<string | undefined> {
  return page.evaluate(() => (window as RecordingWindow).__firstRow);
}
