import { describe, expect, it } from 'vitest';
import { BREACHED_PASSWORDS } from '../../../../src-shared/auth/breached-passwords';
import { passwordProblem } from '../../../../src-shared/auth/password-policy';
import { PASSWORD_MAX, PASSWORD_MIN } from '../../../../src-shared/protocol/auth';

const ACCOUNT = { email: 'Agent.Smith@acme.test', tenantSlug: 'acme-support' };
const rule = (password: string, context = ACCOUNT) => passwordProblem(password, context)?.rule;

describe('passwordProblem', () => {
  it('accepts a long, uncommon password', () => {
    expect(passwordProblem('violet-harbour-lantern-42', ACCOUNT)).toBeNull();
    expect(passwordProblem('x'.repeat(PASSWORD_MAX))).toBeNull();
  });

  it('refuses passwords shorter than the minimum, and names the rule', () => {
    expect(PASSWORD_MIN).toBe(10);
    expect(rule('short-pw1')).toBe('min_length');
    expect(passwordProblem('short-pw1')!.message).toMatch(/at least 10 characters/);
    expect(rule('ten-chars!')).toBeUndefined();
  });

  it('refuses passwords longer than the maximum', () => {
    expect(rule('x'.repeat(PASSWORD_MAX + 1))).toBe('max_length');
  });

  it.each([
    'password12',
    'Password123!',
    'PASSWORD2024',
    'qwerty123456',
    '1234567890',
    'Iloveyou!!!',
    '!!Dragon2024!!',
    'P@ssw0rd1234',
  ])('refuses the breached pattern %s', (password) => {
    expect(rule(password)).toBe('breached');
    expect(passwordProblem(password)!.message).toMatch(/common leaked passwords/);
  });

  it('refuses every bundled breached word padded to the minimum with digits', () => {
    expect(BREACHED_PASSWORDS.length).toBeGreaterThanOrEqual(200);
    // Digits are what gets stripped, so the words to pad are those with a letter in them.
    const words = BREACHED_PASSWORDS.filter((word) => /\p{L}/u.test(word));
    expect(words.length).toBeGreaterThan(150);
    for (const word of words) {
      const padded =
        word.length >= PASSWORD_MIN ? word : word + '1'.repeat(PASSWORD_MIN - word.length);
      expect(rule(padded, { email: 'x@y.test', tenantSlug: 'zz' }), padded).toBe('breached');
    }
  });

  it('does not refuse a password that only contains a common word', () => {
    expect(rule('my-password-is-long-and-odd')).toBeUndefined();
    expect(rule('dragonfly-meadow-9')).toBeUndefined();
  });

  it('refuses the email, its local part or the tenant slug, in any case and with digits added', () => {
    expect(rule('agent.smith@acme.test')).toBe('same_as_account');
    expect(rule('AGENT.SMITH@ACME.TEST')).toBe('same_as_account');
    expect(rule('Agent.Smith2024!')).toBe('same_as_account');
    expect(rule('acme-support')).toBe('same_as_account');
    expect(rule('Acme-Support-99')).toBe('same_as_account');
    expect(passwordProblem('acme-support', ACCOUNT)!.message).toMatch(/email address|company/);
    // Without the context, the same text is acceptable.
    expect(passwordProblem('acme-support')).toBeNull();
  });
});
