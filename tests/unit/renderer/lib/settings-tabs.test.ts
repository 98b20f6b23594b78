import { describe, expect, it } from 'vitest';
import { SETTINGS_TABS, tabAfterKey } from '../../../../src-renderer/lib/settings-tabs';

describe('tabAfterKey', () => {
  it('moves to the next and previous section with the arrows, wrapping at the ends', () => {
    expect(tabAfterKey('profile', 'ArrowRight')).toBe('company');
    expect(tabAfterKey('company', 'ArrowLeft')).toBe('profile');
    expect(tabAfterKey('privacy', 'ArrowRight')).toBe('local-data');
    expect(tabAfterKey('local-data', 'ArrowRight')).toBe('theme-notifications');
    expect(tabAfterKey(SETTINGS_TABS.at(-1)!, 'ArrowRight')).toBe('profile');
    expect(tabAfterKey('profile', 'ArrowLeft')).toBe(SETTINGS_TABS.at(-1));
    expect(tabAfterKey('security', 'ArrowDown')).toBe('logins');
    expect(tabAfterKey('security', 'ArrowUp')).toBe('preferences');
  });

  it('goes to the first and last with Home and End, and ignores other keys', () => {
    expect(tabAfterKey('logins', 'Home')).toBe(SETTINGS_TABS[0]);
    expect(tabAfterKey('company', 'End')).toBe(SETTINGS_TABS.at(-1));
    expect(tabAfterKey('company', 'Enter')).toBeNull();
    expect(tabAfterKey('company', 'a')).toBeNull();
  });
});
