import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  DeviceSettingsStore,
  deviceSettingsFile,
} from '../../../../src-main/core/settings/device-settings-store';
import { DEFAULT_DEVICE_SETTINGS } from '../../../../src-shared/bridge/device-settings';

const root = mkdtempSync(path.join(tmpdir(), 'helpdesk-device-settings-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const freshDir = () => path.join(root, String(n++));

describe('the device settings file', () => {
  it('starts from the defaults and keeps each change across a restart, owner-only', () => {
    const dir = freshDir();
    const store = new DeviceSettingsStore(deviceSettingsFile(dir));
    expect(store.get()).toEqual(DEFAULT_DEVICE_SETTINGS);
    store.update({ theme: 'dark' });
    store.update({ notifications: { kinds: { 'customer-reply': false } } });

    const again = new DeviceSettingsStore(deviceSettingsFile(dir));
    expect(again.get().theme).toBe('dark');
    expect(again.get().notifications.kinds['customer-reply']).toBe(false);
    expect(again.get().notifications.kinds.assigned).toBe(true);
    expect(statSync(deviceSettingsFile(dir)).mode & 0o777).toBe(0o600);
    // Written through a temporary file that does not stay behind.
    expect(readdirSync(dir)).toEqual(['device-settings.json']);
  });

  it('tells its listeners of each change until they stop listening', () => {
    const store = new DeviceSettingsStore(deviceSettingsFile(freshDir()));
    const heard: string[] = [];
    const stop = store.subscribe((settings) => heard.push(settings.theme));
    store.update({ theme: 'light' });
    stop();
    store.update({ theme: 'dark' });
    expect(heard).toEqual(['light']);
  });

  it('reads a damaged file as the defaults and writes a good one at the next change', () => {
    const dir = freshDir();
    const file = deviceSettingsFile(dir);
    new DeviceSettingsStore(file).update({ theme: 'dark' });
    writeFileSync(file, '{"theme": "da');
    const store = new DeviceSettingsStore(file);
    expect(store.get()).toEqual(DEFAULT_DEVICE_SETTINGS);
    store.update({ notifications: { desktop: false } });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({
      ...DEFAULT_DEVICE_SETTINGS,
      notifications: { ...DEFAULT_DEVICE_SETTINGS.notifications, desktop: false },
    });
  });
});
