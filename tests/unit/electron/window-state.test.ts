import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import {
  DEFAULT_WINDOW_STATE,
  fitToDisplays,
  parseWindowState,
  readWindowState,
  trackWindowState,
} from '../../../src-main/electron/window-state';

vi.mock('electron', () => {
  throw new Error('window-state.ts must not import electron at runtime');
});

const dir = mkdtempSync(path.join(tmpdir(), 'helpdesk-window-state-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.useRealTimers());

const LAPTOP = { x: 0, y: 0, width: 1440, height: 875 };
const MONITOR = { x: 1440, y: -200, width: 2560, height: 1400 };
const screenOf = (...workAreas: (typeof LAPTOP)[]) => ({
  getAllDisplays: () => workAreas.map((workArea) => ({ workArea })) as any,
  getPrimaryDisplay: () => ({ workArea: workAreas[0]! }) as any,
});

describe('parseWindowState', () => {
  it('reads a saved state', () => {
    const state = { x: 10, y: 20, width: 1000, height: 700, maximized: true };
    expect(parseWindowState(JSON.stringify(state))).toEqual(state);
    expect(parseWindowState('{"width":900,"height":600,"maximized":false}')).toEqual({
      width: 900,
      height: 600,
      maximized: false,
    });
  });

  it.each([
    ['not JSON', '{"width":'],
    ['empty', ''],
    ['a string', '"big"'],
    ['null', 'null'],
    ['a missing flag', '{"width":900,"height":600}'],
    ['a fraction', '{"width":900.5,"height":600,"maximized":false}'],
    ['a zero size', '{"width":0,"height":600,"maximized":false}'],
    ['an absurd position', '{"x":1e12,"y":0,"width":900,"height":600,"maximized":false}'],
    ['a string size', '{"width":"900","height":600,"maximized":false}'],
  ])('refuses %s', (_name, text) => {
    expect(parseWindowState(text)).toBeNull();
  });
});

describe('fitToDisplays', () => {
  it('keeps a window that fits where it was', () => {
    const state = { x: 100, y: 50, width: 1000, height: 700, maximized: false };
    expect(fitToDisplays(state, [LAPTOP, MONITOR], LAPTOP)).toEqual(state);
    const onMonitor = { x: 2000, y: -100, width: 1200, height: 900, maximized: true };
    expect(fitToDisplays(onMonitor, [LAPTOP, MONITOR], LAPTOP)).toEqual(onMonitor);
  });

  it('pulls a window hanging off the edge fully onto the display it overlaps most', () => {
    const state = { x: 1300, y: 600, width: 1000, height: 700, maximized: false };
    // Most of it is on the monitor: moved inside the monitor's work area.
    expect(fitToDisplays(state, [LAPTOP, MONITOR], LAPTOP)).toEqual({
      x: 1440,
      y: 500,
      width: 1000,
      height: 700,
      maximized: false,
    });
    // The monitor is unplugged: moved back onto the laptop.
    expect(fitToDisplays(state, [LAPTOP], LAPTOP)).toEqual({
      x: 440,
      y: 175,
      width: 1000,
      height: 700,
      maximized: false,
    });
  });

  it('centres a window saved on a display that is gone on the primary one', () => {
    const state = { x: 3000, y: 0, width: 1200, height: 800, maximized: false };
    expect(fitToDisplays(state, [LAPTOP], LAPTOP)).toEqual({
      x: 120,
      y: 37,
      width: 1200,
      height: 800,
      maximized: false,
    });
  });

  it('shrinks a window larger than the display, and never below the minimum size', () => {
    const huge = { x: 0, y: 0, width: 5000, height: 3000, maximized: false };
    expect(fitToDisplays(huge, [LAPTOP], LAPTOP)).toMatchObject({ width: 1440, height: 875 });
    const tiny = { x: 10, y: 10, width: 100, height: 50, maximized: false };
    expect(fitToDisplays(tiny, [LAPTOP], LAPTOP)).toMatchObject({ width: 800, height: 560 });
  });

  it('centres the default (no position) on the primary display', () => {
    expect(fitToDisplays(DEFAULT_WINDOW_STATE, [LAPTOP, MONITOR], LAPTOP)).toEqual({
      x: 80,
      y: 37,
      width: 1280,
      height: 800,
      maximized: false,
    });
  });
});

describe('readWindowState', () => {
  it('gives the defaults when there is no file or it is corrupt', () => {
    const screen = screenOf(LAPTOP);
    const defaults = fitToDisplays(DEFAULT_WINDOW_STATE, [LAPTOP], LAPTOP);
    expect(readWindowState(path.join(dir, 'missing.json'), screen)).toEqual(defaults);
    const corrupt = path.join(dir, 'corrupt.json');
    writeFileSync(corrupt, '{"width": 1000, "hei');
    expect(readWindowState(corrupt, screen)).toEqual(defaults);
  });

  it('reads what was saved, fitted to the displays of today', () => {
    const file = path.join(dir, 'saved.json');
    writeFileSync(
      file,
      JSON.stringify({ x: 2000, y: 0, width: 1000, height: 700, maximized: true }),
    );
    expect(readWindowState(file, screenOf(LAPTOP, MONITOR))).toEqual({
      x: 2000,
      y: 0,
      width: 1000,
      height: 700,
      maximized: true,
    });
    expect(readWindowState(file, screenOf(LAPTOP))).toMatchObject({ x: 220, maximized: true });
  });
});

describe('trackWindowState', () => {
  function fakeWindow() {
    const listeners = new Map<string, () => void>();
    return {
      listeners,
      bounds: { x: 10, y: 20, width: 1000, height: 700 },
      maximized: false,
      on(name: string, listener: () => void) {
        listeners.set(name, listener);
        return this;
      },
      getNormalBounds() {
        return this.bounds;
      },
      isMaximized() {
        return this.maximized;
      },
    };
  }

  it('saves once after moves and resizes settle, and at once on close', () => {
    vi.useFakeTimers();
    const file = path.join(dir, 'tracked', 'window-state.json');
    const window = fakeWindow();
    trackWindowState(window as any, file, 500);
    window.listeners.get('move')!();
    window.bounds = { x: 50, y: 60, width: 1100, height: 750 };
    window.listeners.get('resize')!();
    vi.advanceTimersByTime(499);
    expect(() => readFileSync(file)).toThrow();
    vi.advanceTimersByTime(1);
    expect(parseWindowState(readFileSync(file, 'utf8'))).toEqual({
      ...window.bounds,
      maximized: false,
    });

    window.maximized = true;
    window.listeners.get('close')!();
    const saved = parseWindowState(readFileSync(file, 'utf8'));
    expect(saved).toEqual({ ...window.bounds, maximized: true });
    // What was saved reads back as the same window.
    expect(readWindowState(file, screenOf(LAPTOP))).toEqual(saved);
  });
});
