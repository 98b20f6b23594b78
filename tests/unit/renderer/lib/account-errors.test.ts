import { describe, expect, it } from 'vitest';
import { accountErrorText, needsConnection } from '../../../../src-renderer/lib/account-errors';

describe('accountErrorText', () => {
  it('says what went wrong with the password or the address, in plain words', () => {
    expect(accountErrorText({ code: 'wrong_password', message: 'x' }, 'Changing your email')).toBe(
      'The current password is wrong. Nothing was changed.',
    );
    expect(accountErrorText({ code: 'already_exists', message: 'x' }, 'Changing your email')).toBe(
      'Another account of your company already uses this email address. Nothing was changed.',
    );
    expect(accountErrorText({ code: 'rate_limited', message: 'x' }, 'Changing your email')).toMatch(
      /^Too many wrong passwords\./,
    );
  });

  it('names the action that needs a connection when offline', () => {
    expect(
      accountErrorText(
        { code: 'network', message: 'The server could not be reached.' },
        'Changing your password',
      ),
    ).toBe(
      'Changing your password needs a connection to the service. Try again when you are back online.',
    );
    expect(needsConnection('offline')).toBe(true);
    expect(needsConnection('forbidden')).toBe(false);
  });

  it("passes the service's own words through otherwise (a weak password)", () => {
    const message = 'This password is among the most common leaked passwords.';
    expect(accountErrorText({ code: 'weak_password', message }, 'Changing your password')).toBe(
      message,
    );
  });
});
