import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { BrowserWindow, Rectangle, Screen } from 'electron';
import { z } from 'zod';

export const MIN_WINDOW_SIZE = { width: 800, height: 560 } as const;

const Coordinate = z.number().int().min(-100_000).max(100_000);
const Length = z.number().int().min(1).max(100_000);

/** The main window's size and place, saved in userData/window-state.json. */
const WindowState = z.object({
  x: Coordinate.optional(),
  y: Coordinate.optional(),
  width: Length,
  height: Length,
  maximized: z.boolean(),
});
export type WindowState = z.infer<typeof WindowState>;

/** No position: centred on the primary display. */
export const DEFAULT_WINDOW_STATE: WindowState = { width: 1280, height: 800, maximized: false };

/** The saved state, or null when the text is not a valid one (a corrupt or foreign file). */
export function parseWindowState(text: string): WindowState | null {
  try {
    const parsed = WindowState.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

function overlap(a: Rectangle, b: Rectangle): number {
  const width = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const height = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return width > 0 && height > 0 ? width * height : 0;
}

const clamp = (value: number, min: number, max: number) => Math.min(Math.max(value, min), max);

/**
 * Puts the window wholly on the display work area it overlaps most, shrinking it to fit; a window
 * saved on a display that is gone (unplugged monitor) is centred on the primary one instead.
 */
export function fitToDisplays(
  state: WindowState,
  workAreas: readonly Rectangle[],
  primary: Rectangle,
): WindowState {
  const { x, y, maximized } = state;
  let area = primary;
  let best = 0;
  if (x !== undefined && y !== undefined) {
    const saved = { x, y, width: state.width, height: state.height };
    for (const candidate of workAreas) {
      const shared = overlap(saved, candidate);
      if (shared > best) [best, area] = [shared, candidate];
    }
  }
  const width = Math.min(Math.max(state.width, MIN_WINDOW_SIZE.width), area.width);
  const height = Math.min(Math.max(state.height, MIN_WINDOW_SIZE.height), area.height);
  if (x === undefined || y === undefined || best === 0) {
    return {
      x: area.x + Math.floor((area.width - width) / 2),
      y: area.y + Math.floor((area.height - height) / 2),
      width,
      height,
      maximized,
    };
  }
  return {
    x: clamp(x, area.x, area.x + area.width - width),
    y: clamp(y, area.y, area.y + area.height - height),
    width,
    height,
    maximized,
  };
}

/** The saved state fitted to today's displays; defaults when there is none or it is unreadable. */
export function readWindowState(
  file: string,
  screen: Pick<Screen, 'getAllDisplays' | 'getPrimaryDisplay'>,
): WindowState {
  let saved: WindowState | null = null;
  try {
    saved = parseWindowState(readFileSync(file, 'utf8'));
  } catch {
    // No file yet: the defaults.
  }
  return fitToDisplays(
    saved ?? DEFAULT_WINDOW_STATE,
    screen.getAllDisplays().map((display) => display.workArea),
    screen.getPrimaryDisplay().workArea,
  );
}

/** Written whole to a temporary file and renamed, so a crash never leaves half a file. */
export function writeWindowState(file: string, state: WindowState): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(state)}\n`);
  renameSync(temporary, file);
}

type TrackedWindow = Pick<BrowserWindow, 'on' | 'getNormalBounds' | 'isMaximized'>;

/**
 * Saves the window's normal (unmaximized) bounds and maximized flag a moment after it stops moving
 * or resizing, and at once when it closes. Saving is best effort: a full disk must not stop the app.
 */
export function trackWindowState(window: TrackedWindow, file: string, debounceMs = 500): void {
  let timer: NodeJS.Timeout | undefined;
  const save = () => {
    clearTimeout(timer);
    timer = undefined;
    try {
      writeWindowState(file, { ...window.getNormalBounds(), maximized: window.isMaximized() });
    } catch {
      // Best effort (see above).
    }
  };
  const later = () => {
    clearTimeout(timer);
    timer = setTimeout(save, debounceMs);
  };
  window.on('resize', later);
  window.on('move', later);
  window.on('maximize', later);
  window.on('unmaximize', later);
  window.on('close', save);
}
