import { PASSWORD_MAX, PASSWORD_MIN } from '../protocol/auth';
import { BREACHED_PASSWORDS } from './breached-passwords';

/**
 * The password policy of the service, pure so that the renderer can check a form before sending
 * it and the service enforces the very same rules at sign-up, change, reset and first log-in.
 */
export type PasswordRule = 'min_length' | 'max_length' | 'same_as_account' | 'breached';

export interface PasswordProblem {
  rule: PasswordRule;
  message: string;
}

/** What the password must not be: the account's own names. */
export interface PasswordContext {
  email?: string;
  tenantSlug?: string;
}

/**
 * The forms a guess takes: lower case, then without the digits and symbols people append (or
 * prepend) to a weak word to pass a length rule ("Password123!" is "password").
 */
function variants(text: string): string[] {
  const lower = text.normalize('NFKC').toLowerCase().trim();
  const trailing = lower.replace(/[^\p{L}]+$/u, '');
  const both = trailing.replace(/^[^\p{L}]+/u, '');
  return [...new Set([lower, trailing, both])].filter((v) => v.length > 0);
}

/** Each listed password in every form, so that "1qazxsw2" also stands for "1qazxsw" + digits. */
const BREACHED = new Set(BREACHED_PASSWORDS.flatMap(variants));

/** The first rule the password breaks, or null when it is acceptable. */
export function passwordProblem(
  password: string,
  context: PasswordContext = {},
): PasswordProblem | null {
  if (password.length < PASSWORD_MIN) {
    return {
      rule: 'min_length',
      message: `Passwords must be at least ${PASSWORD_MIN} characters long.`,
    };
  }
  if (password.length > PASSWORD_MAX) {
    return {
      rule: 'max_length',
      message: `Passwords may be at most ${PASSWORD_MAX} characters long.`,
    };
  }
  const guesses = variants(password);
  const email = context.email?.trim().toLowerCase();
  const own = [email, email?.split('@')[0], context.tenantSlug?.trim().toLowerCase()].filter(
    (name): name is string => !!name,
  );
  if (guesses.some((guess) => own.includes(guess))) {
    return {
      rule: 'same_as_account',
      message: 'The password must not be your email address or your company name.',
    };
  }
  if (guesses.some((guess) => BREACHED.has(guess))) {
    return {
      rule: 'breached',
      message:
        'This password is among the most common leaked passwords. Choose one that is harder to guess.',
    };
  }
  return null;
}
