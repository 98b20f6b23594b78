import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { chromium } from '@playwright/test';
import type { CredentialStore } from '../../../src-main/core/credentials/credential-store';
import { HelpdeskService } from '../../../src-main/core/services/helpdesk-service';
import { startPreview } from '../../../src-main/preview/preview-server';
import { percentile } from '../support/stats';

const SYSTEM_CHROMIUM = '/usr/bin/chromium';
/** ROW_HEIGHT of src-renderer/components/ticket-row.tsx. */
const ROW_HEIGHT = 56;
/** A brisk, steady scroll: about 8 rows (a good part of the list's height) per 60 Hz frame. */
const ROWS_PER_SECOND = 500;
const LIST = '[role="listbox"][aria-label="Tickets"]';
/** A row with its ticket (rows still loading are placeholders without an id). */
const LOADED_ROW = `${LIST} [id^="ticket-row-"]`;

export interface UiResult {
  interactiveMs: number;
  frameP95Ms: number;
  frames: number;
  scrolledRows: number;
}

async function waitForIdle(service: HelpdeskService): Promise<void> {
  for (let tries = 0; tries < 600; tries++) {
    const { status } = await service.invoke('getSyncStatus', {});
    if (status.state === 'idle') return;
    if (status.state === 'error' || status.state === 'needs-sign-in')
      throw new Error(`the preview's core cannot sync: ${JSON.stringify(status)}`);
    await sleep(100);
  }
  throw new Error('the preview core did not finish its sync in 60 s');
}

/**
 * The app over the synced data folder, in the browser preview: a HelpdeskService resumes the
 * session (as at an app start), Chromium opens the preview, and we take the time from navigation
 * to the first ticket row on screen, then scroll through `rows` rows at a steady speed and take
 * every frame's time. vsync and the frame-rate limit are off, so that a frame's time is the time
 * it took to make, not the display's 16.7 ms tick.
 */
export async function measureUi(options: {
  dataDir: string;
  credentials: CredentialStore;
  rendererDir: string;
  rows: number;
}): Promise<UiResult> {
  const service = new HelpdeskService({
    dataDir: options.dataDir,
    credentials: options.credentials,
    appInfo: { version: '0.0.0-bench', shell: 'preview', signInDefaults: null },
  });
  if (!(await service.restore())) throw new Error('no session to resume in the data folder');
  const preview = await startPreview({
    rendererDir: options.rendererDir,
    dataDir: options.dataDir,
    service,
  });
  const browser = await chromium.launch({
    headless: true,
    ...(existsSync(SYSTEM_CHROMIUM) ? { executablePath: SYSTEM_CHROMIUM } : {}),
    args: ['--no-sandbox', '--disable-gpu', '--disable-frame-rate-limit', '--disable-gpu-vsync'],
  });
  try {
    await waitForIdle(service);
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.addInitScript((selector) => {
      const seen = new MutationObserver(() => {
        if (!document.querySelector(selector)) return;
        (window as unknown as { firstRowAt: number }).firstRowAt = performance.now();
        seen.disconnect();
      });
      seen.observe(document, { childList: true, subtree: true });
    }, LOADED_ROW);
    await page.goto(preview.url);
    await page.locator(LOADED_ROW).first().waitFor({ state: 'visible', timeout: 60_000 });
    const interactiveMs = await page.evaluate(
      () => (window as unknown as { firstRowAt: number }).firstRowAt,
    );
    const scroll = await page.evaluate(
      async ({ list, rows, rowHeight, rowsPerSecond }) => {
        const scroller = document.querySelector<HTMLElement>(list)!;
        const end = Math.min(rows * rowHeight, scroller.scrollHeight - scroller.clientHeight);
        const deltas: number[] = [];
        // No named inner functions: tsx would wrap them in a helper the page does not have.
        const start = await new Promise<number>((resolve) => requestAnimationFrame(resolve));
        let last = start;
        while (scroller.scrollTop < end - 1) {
          scroller.scrollTop = Math.min(end, ((last - start) / 1000) * rowsPerSecond * rowHeight);
          const now = await new Promise<number>((resolve) => requestAnimationFrame(resolve));
          deltas.push(now - last);
          last = now;
        }
        return { deltas, scrolledRows: Math.round(scroller.scrollTop / rowHeight) };
      },
      { list: LIST, rows: options.rows, rowHeight: ROW_HEIGHT, rowsPerSecond: ROWS_PER_SECOND },
    );
    return {
      interactiveMs,
      frameP95Ms: percentile(scroll.deltas, 95),
      frames: scroll.deltas.length,
      scrolledRows: scroll.scrolledRows,
    };
  } finally {
    await browser.close();
    await preview.close();
    await service.close();
  }
}
