import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { passwordProblem } from '../../src-shared/auth/password-policy';
import { Email } from '../../src-shared/domain/primitives';
import { hashPassword } from '../auth/passwords';
import { AlreadyExistsError } from '../storage/storage';
import { DATABASE_URL_ENV, openExistingStorage } from './open-data-dir';

export const OPERATOR_PASSWORD_ENV = 'HELPDESK_OPERATOR_PASSWORD';

export const OPERATOR_USAGE = `Usage: tsx src-server/cli/operator.ts add --data-dir <D> --email <E>
The password is read from ${OPERATOR_PASSWORD_ENV}, or else from the first line of stdin;
never from the command line, where other users of the machine could see it. A service on
PostgreSQL: its URL in HELPDESK_DATABASE_URL.`;

export interface OperatorCommandIo {
  env: Record<string, string | undefined>;
  stdin: Readable;
  out(line: string): void;
  err(line: string): void;
}

async function firstLine(stdin: Readable): Promise<string> {
  const lines = createInterface({ input: stdin, crlfDelay: Infinity });
  try {
    for await (const line of lines) return line;
    return '';
  } finally {
    lines.close();
  }
}

/**
 * Operators (the service's support staff) exist only through this command, run by whoever runs
 * the service: there is no endpoint that creates one. Returns the process exit code.
 */
export async function runOperatorCommand(args: string[], io: OperatorCommandIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: { 'data-dir': { type: 'string' }, email: { type: 'string' } },
    });
  } catch (error) {
    io.err(`${(error as Error).message}\n${OPERATOR_USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const email = Email.safeParse(values.email);
  if (positionals.join(' ') !== 'add' || !values['data-dir'] || !email.success) {
    io.err(OPERATOR_USAGE);
    return 2;
  }
  const password = io.env[OPERATOR_PASSWORD_ENV] ?? (await firstLine(io.stdin));
  const problem = passwordProblem(password, { email: email.data });
  if (problem) {
    io.err(problem.message);
    return 1;
  }
  const storage = await openExistingStorage(values['data-dir'], io.env[DATABASE_URL_ENV]);
  try {
    const id = randomUUID();
    await storage.createOperator({
      id,
      email: email.data,
      passwordHash: await hashPassword(password),
      createdAt: new Date().toISOString(),
    });
    io.out(`Operator ${email.data} added (id ${id}).`);
    return 0;
  } catch (error) {
    if (!(error instanceof AlreadyExistsError)) throw error;
    io.err(`An operator with the email ${email.data} exists already.`);
    return 1;
  } finally {
    await storage.close();
  }
}
