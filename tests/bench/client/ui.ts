import { existsSync } from 'node:fs';
import { chromium, type Page } from '@playwright/test';
import { eachLine, spawnWithConfig, stopChild, type Log } from '../support/processes';
import { median, percentile } from '../support/stats';
import type { PreviewConfig } from './preview-process';

const SYSTEM_CHROMIUM = '/usr/bin/chromium';
/** ROW_HEIGHT of src-renderer/components/ticket-row.tsx. */
const ROW_HEIGHT = 56;
/** A brisk, steady scroll: about 8 rows (a good part of the list's height) per 60 Hz frame. */
const ROWS_PER_SECOND = 500;
const LIST = '[role="listbox"][aria-label="Tickets"]';
/** A row with its ticket (rows still loading are placeholders without an id). */
const LOADED_ROW = `${LIST} [id^="ticket-row-"]`;

/** App starts measured; the figure is their median (one start alone varies by ±150 ms here). */
const STARTS = 5;

export interface UiResult {
  /** The median of the starts' times to the first row. */
  interactiveMs: number;
  /** Each start's, in order. */
  startsMs: number[];
  frameP95Ms: number;
  frames: number;
  scrolledRows: number;
}

/** The preview's core in a process of its own (preview-process.ts), until stop(). */
function startPreviewProcess(
  config: PreviewConfig,
  log: Log,
  cpuProfDir: string | undefined,
): Promise<{ url: string; stop(): Promise<void> }> {
  const child = spawnWithConfig('tests/bench/client/preview-process.ts', config, {
    stdout: 'pipe',
    cpuProfDir,
  });
  eachLine(child.stderr!, (line) => log(`preview: ${line}`));
  const orphanGuard = () => child.kill('SIGKILL');
  process.once('exit', orphanGuard);
  child.once('exit', () => process.off('exit', orphanGuard));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.once('exit', (code) => reject(new Error(`the preview process exited (code ${code})`)));
    eachLine(child.stdout!, (line) => {
      const url = /^preview: (\S+)/.exec(line)?.[1];
      if (url) resolve({ url, stop: () => stopChild(child) });
    });
  });
}

type AppOptions = PreviewConfig & { log: Log; cpuProfDir?: string | undefined };

/**
 * One start of the app over the synced data folder: a process of its own resumes the session (as
 * the app's main process does when it starts) and a fresh Chromium opens the preview. Answers the
 * time from navigation to the first ticket row on screen, and what `use` then does with the page.
 */
async function startApp<T>(
  options: AppOptions,
  use: (page: Page) => Promise<T>,
): Promise<{ firstRowMs: number; used: T }> {
  const { log, cpuProfDir, ...config } = options;
  const preview = await startPreviewProcess(config, log, cpuProfDir);
  const browser = await chromium.launch({
    headless: true,
    ...(existsSync(SYSTEM_CHROMIUM) ? { executablePath: SYSTEM_CHROMIUM } : {}),
    args: ['--no-sandbox', '--disable-gpu', '--disable-frame-rate-limit', '--disable-gpu-vsync'],
  });
  try {
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
    const firstRowMs = await page.evaluate(
      () => (window as unknown as { firstRowAt: number }).firstRowAt,
    );
    return { firstRowMs, used: await use(page) };
  } finally {
    await browser.close();
    await preview.stop();
  }
}

/**
 * Scrolls through `rows` rows at a steady speed and takes every frame's time. vsync and the
 * frame-rate limit are off, so that a frame's time is the time it took to make, not the display's
 * 16.7 ms tick.
 */
function scrollThrough(page: Page, rows: number) {
  return page.evaluate(
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
    { list: LIST, rows, rowHeight: ROW_HEIGHT, rowsPerSecond: ROWS_PER_SECOND },
  );
}

/** STARTS starts of the app on the synced data; the last one then scrolls through `rows` rows. */
export async function measureUi(options: AppOptions & { rows: number }): Promise<UiResult> {
  const { rows, ...app } = options;
  const startsMs: number[] = [];
  for (let i = 1; i < STARTS; i++)
    startsMs.push((await startApp(app, async () => null)).firstRowMs);
  const last = await startApp(app, (page) => scrollThrough(page, rows));
  startsMs.push(last.firstRowMs);
  return {
    interactiveMs: median(startsMs),
    startsMs,
    frameP95Ms: percentile(last.used.deltas, 95),
    frames: last.used.deltas.length,
    scrolledRows: last.used.scrolledRows,
  };
}
