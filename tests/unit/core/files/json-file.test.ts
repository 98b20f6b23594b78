import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { readJsonFile, writeJsonFile } from '../../../../src-main/core/files/json-file';

const Shape = z.object({ n: z.number() });
const fresh = () => mkdtempSync(join(tmpdir(), 'helpdesk-json-file-'));

describe('json files of this machine', () => {
  it('answers the fallback for a missing file and reads back what was written', () => {
    const file = join(fresh(), 'nested', 'state.json');
    expect(readJsonFile(file, Shape, { n: 0 })).toEqual({ n: 0 });
    writeJsonFile(file, { n: 7 });
    expect(readJsonFile(file, Shape, { n: 0 })).toEqual({ n: 7 });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(join(file, '..'))).toEqual(['state.json']);
  });

  it.each([
    ['not JSON', '{ "n": 7'],
    ['not the schema', '{ "n": "seven" }'],
  ])('moves a file that is %s aside, keeping its bytes, and answers the fallback', (_, text) => {
    const dir = fresh();
    const file = join(dir, 'state.json');
    writeFileSync(file, text);
    expect(readJsonFile(file, Shape, { n: 0 })).toEqual({ n: 0 });
    const aside = readdirSync(dir);
    expect(aside).toHaveLength(1);
    expect(aside[0]).toMatch(/^state\.json\.unreadable-\d+$/);
    expect(readFileSync(join(dir, aside[0]!), 'utf8')).toBe(text);
  });
});
