import { describe, expect, it } from 'vitest';
import { LoginEvent } from '../../../../src-shared/domain/entities';
import { deviceText, ipText, RESULT_TEXT } from '../../../../src-renderer/lib/login-events';

describe('deviceText', () => {
  it('names the browser and the system of a browser user agent', () => {
    expect(
      deviceText(
        'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
      ),
    ).toBe('Chrome on Linux');
    expect(
      deviceText(
        'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36 Edg/126.0',
      ),
    ).toBe('Edge on Windows');
    expect(
      deviceText(
        'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
      ),
    ).toBe('Safari on iOS');
    expect(
      deviceText('Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/126.0 Mobile Safari'),
    ).toBe('Chrome on Android');
    expect(
      deviceText(
        'Mozilla/5.0 (Macintosh; Intel Mac OS X 14.5; rv:127.0) Gecko/20100101 Firefox/127.0',
      ),
    ).toBe('Firefox on macOS');
  });

  it('names the desktop app, and cuts anything else to its first word', () => {
    expect(deviceText('helpdesk-desktop')).toBe('Help desk app');
    expect(deviceText('axios/1.13.2')).toBe('axios/1.13.2');
    expect(deviceText('curl/8.5.0 (x86_64-pc-linux-gnu)')).toBe('curl/8.5.0');
    const long = deviceText(`x${'y'.repeat(200)}`);
    expect(long).toHaveLength(40);
    expect(long.endsWith('…')).toBe(true);
  });

  it('says when there is no user agent', () => {
    expect(deviceText(null)).toBe('Unknown device');
    expect(deviceText('  ')).toBe('Unknown device');
  });
});

describe('ipText', () => {
  it('writes an IPv4-mapped address as IPv4 and leaves others alone', () => {
    expect(ipText('::ffff:127.0.0.1')).toBe('127.0.0.1');
    expect(ipText('127.0.0.1')).toBe('127.0.0.1');
    expect(ipText('2001:db8::1')).toBe('2001:db8::1');
    expect(ipText('::ffff:abcd')).toBe('::ffff:abcd');
  });
});

describe('RESULT_TEXT', () => {
  it('has words for every reason a log-in event can carry', () => {
    expect(Object.keys(RESULT_TEXT).sort()).toEqual([...LoginEvent.shape.reason.options].sort());
    expect(RESULT_TEXT.ok).toBe('Signed in');
  });
});
