import type { Page } from '@playwright/test';

/**
 * Collects a page's console errors, uncaught exceptions and Content-Security-Policy violations as
 * lines (the fixture fails a test that leaves any). Chromium logs most violations itself; the
 * listener, installed before any of the app's scripts, reports every one.
 */
export async function watchProblems(page: Page): Promise<string[]> {
  const problems: string[] = [];
  page.on('console', (message) => {
    const text = message.text();
    if (message.type() === 'error' || /Content.Security.Policy/i.test(text)) {
      const { url } = message.location();
      problems.push(`console.${message.type()}: ${text}${url ? ` (${url})` : ''}`);
    }
  });
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      console.error(
        `Content Security Policy violation: ${event.violatedDirective} blocked ${event.blockedURI || 'inline'}`,
      );
    });
  });
  return problems;
}
