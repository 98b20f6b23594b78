import { describe, expect, it, vi } from 'vitest';
import { menuTemplate } from '../../../src-main/electron/menu';

vi.mock('electron', () => {
  throw new Error('menu.ts must not import electron at runtime');
});

const roles = (items: any[]): string[] =>
  items.flatMap((item) => [
    ...(item.role ? [item.role] : []),
    ...(Array.isArray(item.submenu) ? roles(item.submenu) : []),
  ]);

describe('menuTemplate', () => {
  it('has the standard menus, the app menu on macOS only', () => {
    const top = (platform: NodeJS.Platform) =>
      menuTemplate({ platform, isPackaged: true }).map((item) => item.role ?? item.label);
    expect(top('linux')).toEqual(['fileMenu', 'editMenu', 'View', 'windowMenu', 'help']);
    expect(top('win32')).toEqual(['fileMenu', 'editMenu', 'View', 'windowMenu', 'help']);
    expect(top('darwin')).toEqual([
      'appMenu',
      'fileMenu',
      'editMenu',
      'View',
      'windowMenu',
      'help',
    ]);
  });

  it('offers reload and the developer tools only in an unpackaged app', () => {
    const development = ['reload', 'forceReload', 'toggleDevTools'];
    const packaged = roles(menuTemplate({ platform: 'linux', isPackaged: true }));
    for (const role of development) expect(packaged).not.toContain(role);
    expect(packaged).toEqual(
      expect.arrayContaining(['resetZoom', 'zoomIn', 'zoomOut', 'togglefullscreen']),
    );
    const unpackaged = roles(menuTemplate({ platform: 'linux', isPackaged: false }));
    expect(unpackaged).toEqual(expect.arrayContaining(development));
  });

  it('offers "Check for Updates…" in Help when the shell has updates', () => {
    const checkForUpdates = vi.fn();
    const help = menuTemplate({ platform: 'linux', isPackaged: true, checkForUpdates }).find(
      (i) => i.role === 'help',
    );
    const [check, about] = help?.submenu as any[];
    expect(check.label).toBe('Check for Updates…');
    expect(about.role).toBe('about');
    check.click();
    expect(checkForUpdates).toHaveBeenCalledOnce();
  });

  it('has an About item in Help', () => {
    const help = menuTemplate({ platform: 'linux', isPackaged: true }).find(
      (i) => i.role === 'help',
    );
    expect(help?.submenu).toEqual([{ role: 'about', label: 'About Help Desk' }]);
  });
});
