import { randomBytes } from 'node:crypto';
import { passwordProblem, type PasswordContext } from '../../src-shared/auth/password-policy';
import { ApiError } from '../app/api-error';
import { hashPassword } from './passwords';

/** Refuses a password the shared policy refuses, naming the rule it breaks. */
export function assertStrongPassword(password: string, context: PasswordContext): void {
  const problem = passwordProblem(password, context);
  if (problem) {
    throw new ApiError('weak_password', problem.message, {
      details: [{ path: 'password', message: problem.rule }],
    });
  }
}

/** A hash no one knows the password of: the account cannot log in until it is replaced. */
export function unusablePasswordHash(): Promise<string> {
  return hashPassword(randomBytes(32).toString('base64url'));
}
