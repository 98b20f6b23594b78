import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { ENTITY_SCHEMAS } from '../../../src-shared/domain/entities';
import { MUTATORS } from '../../../src-shared/mutators/registry';
import {
  AccountExport,
  ChangeEmailRequest,
  ChangePasswordRequest,
} from '../../../src-shared/protocol/account';
import { PasswordSetupToken, SupportAccessEntry } from '../../../src-shared/protocol/admin';
import { UploadAttachmentQuery } from '../../../src-shared/protocol/attachments';
import { SetPasswordRequest } from '../../../src-shared/protocol/auth';
import { ERROR_STATUS } from '../../../src-shared/protocol/errors';
import { SupportAccessRequest } from '../../../src-shared/protocol/operator';
import {
  FIRST_MUTATION_FORMAT,
  MUTATION_FORMAT,
  MUTATION_UPCASTS,
} from '../../../src-shared/protocol/mutation-format';
import { PullQuery } from '../../../src-shared/protocol/sync';
import { TicketSearchQuery, TicketThread } from '../../../src-shared/protocol/tickets';

const doc = readFileSync(resolve(__dirname, '../../../docs/protocol.md'), 'utf8');

/** The rows of the first table after `heading`, as arrays of cells. */
function tableAfter(heading: string): string[][] {
  const start = doc.indexOf(`\n${heading}\n`);
  expect(start, `docs/protocol.md has no heading "${heading}"`).toBeGreaterThan(-1);
  const rest = doc.slice(start + heading.length + 2);
  const section = rest.split(/\n#{2,3} /)[0]!;
  return section
    .split('\n')
    .filter((line) => line.startsWith('|') && !/^\|\s*-/.test(line))
    .slice(1)
    .map((line) =>
      line
        .slice(1, -1)
        .split('|')
        .map((cell) => cell.trim()),
    );
}

const names = (text: string) => [...text.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);

describe('docs/protocol.md matches the zod schemas', () => {
  it('lists every error code with its status', () => {
    const rows = tableAfter('## Errors');
    const documented = Object.fromEntries(
      rows.map(([code, status]) => [names(code!)[0], Number(status)]),
    );
    expect(documented).toEqual(ERROR_STATUS);
  });

  it.each(Object.entries(ENTITY_SCHEMAS))('documents every field of entity %s', (name, schema) => {
    const rows = tableAfter(`### Entity \`${name}\``);
    expect(rows.map(([field]) => names(field!)[0]).sort()).toEqual(
      Object.keys(schema.shape).sort(),
    );
  });

  it('lists every mutation format, one change each after the first', () => {
    const formats = tableAfter('## Mutation formats').map(([format]) => Number(format));
    expect(formats).toEqual(
      Array.from({ length: MUTATION_FORMAT - FIRST_MUTATION_FORMAT + 1 }, (_, i) => i + 1),
    );
    expect(MUTATION_UPCASTS).toHaveLength(formats.length - 1);
  });

  it('documents every field of the account export', () => {
    const rows = tableAfter('### Export my data');
    expect(rows.map(([field]) => names(field!)[0]).sort()).toEqual(
      Object.keys(AccountExport.shape).sort(),
    );
  });

  it.each(Object.entries(MUTATORS))('documents every arg of mutation %s', (name, mutator) => {
    const shape = (mutator.args as unknown as z.ZodObject).shape;
    const rows = tableAfter(`### Mutation \`${name}\``);
    expect(rows.map(([arg]) => names(arg!)[0]).sort()).toEqual(Object.keys(shape).sort());
    const fields = shape.fields as z.ZodObject | undefined;
    if (fields) {
      const row = rows.find(([arg]) => arg === '`fields`')!;
      expect(names(row[1]!).sort()).toEqual(Object.keys(fields.shape).sort());
    }
  });

  it.each([
    ['### Change password', ChangePasswordRequest],
    ['### Change email', ChangeEmailRequest],
    ['### Set password', SetPasswordRequest],
    ['### Password setup token', PasswordSetupToken],
    ['### Support access', SupportAccessRequest],
    ['### Support access audit', SupportAccessEntry],
    ['### Upload attachment', UploadAttachmentQuery],
    ['### Ticket search', TicketSearchQuery],
    ['### Ticket thread', TicketThread],
    ['## Pull', PullQuery],
  ])('documents every field under "%s"', (heading, schema) => {
    const rows = tableAfter(heading);
    expect(rows.map(([field]) => names(field!)[0]).sort()).toEqual(
      Object.keys(schema.shape).sort(),
    );
  });
});
