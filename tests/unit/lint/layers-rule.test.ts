import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { RuleTester } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import { isBuiltin, layersRule, packageNameOf, placeOf } from '../../lint/layers-rule';

RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

const ROOT = '/repo';
const DEPENDENCIES = [
  'zod',
  'react',
  'zustand',
  'better-sqlite3',
  '@scope/pkg',
  'electron',
  'vitest',
];
const options = [{ root: ROOT, dependencies: DEPENDENCIES }];
const file = (rel: string) => path.join(ROOT, rel);

const tester = new RuleTester({
  languageOptions: {
    parser: tseslint.parser,
    ecmaVersion: 2023,
    sourceType: 'module',
  },
});

type Invalid = {
  name: string;
  filename: string;
  code: string;
  messageId: 'forbidden' | 'electron' | 'unlisted' | 'unknownFolder';
  layer?: string;
  source?: string;
};

const valid = (name: string, filename: string, code: string) => ({
  name,
  filename: file(filename),
  code,
  options,
});

// Every layer message names the importing file's layer and the forbidden import; the wording
// after them tells which kind of violation it is.
const WORDING: Record<Invalid['messageId'], (layer: string, source: string) => string> = {
  forbidden: (layer, source) => `^${layer} may not import '${source}' \\(`,
  electron: (layer, source) =>
    `^${layer} may not import '${source}': only src-main/electron may import 'electron'\\.$`,
  unlisted: (layer, source) => `^${layer} imports '${source}', but package '[^']+' is not in`,
  unknownFolder: () => '',
};

const invalid = ({ name, filename, code, messageId, layer, source }: Invalid) => ({
  name,
  filename: file(filename),
  code,
  options,
  errors: [
    layer !== undefined && source !== undefined
      ? { message: new RegExp(WORDING[messageId](escape(layer), escape(source))) }
      : { messageId },
  ],
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

describe('layer classification', () => {
  it('places files by folder', () => {
    expect(placeOf('src-shared/domain/ticket.ts')).toBe('src-shared');
    expect(placeOf('src-server/cli/server.ts')).toBe('src-server');
    expect(placeOf('src-main/core/replica.ts')).toBe('src-main/core');
    expect(placeOf('src-main/electron/main.ts')).toBe('src-main/electron');
    expect(placeOf('src-main/preview/cli/start.ts')).toBe('src-main/preview');
    expect(placeOf('src-main/index.ts')).toBe('unknown');
    expect(placeOf('src-renderer/app.tsx')).toBe('src-renderer');
    expect(placeOf('tests/unit/x.test.ts')).toBe('tests');
    expect(placeOf('vitest.config.ts')).toBe('root');
    expect(placeOf('scripts/x.ts')).toBe('unknown');
    expect(placeOf('../elsewhere/x.ts')).toBe('outside');
  });

  it('names packages and built-ins', () => {
    expect(packageNameOf('zod')).toBe('zod');
    expect(packageNameOf('zod/v4/core')).toBe('zod');
    expect(packageNameOf('@scope/pkg')).toBe('@scope/pkg');
    expect(packageNameOf('@scope/pkg/sub/path')).toBe('@scope/pkg');
    expect(isBuiltin('node:fs')).toBe(true);
    expect(isBuiltin('fs')).toBe(true);
    expect(isBuiltin('fs/promises')).toBe(true);
    expect(isBuiltin('zod')).toBe(false);
  });
});

tester.run('local/layers: src-shared', layersRule, {
  valid: [
    valid('relative file in src-shared', 'src-shared/a/b.ts', "import { x } from '../c/d';"),
    valid('zod', 'src-shared/a.ts', "import { z } from 'zod';"),
    valid('zod subpath', 'src-shared/a.ts', "import * as z from 'zod/v4';"),
    valid('re-export inside src-shared', 'src-shared/index.ts', "export * from './a';"),
  ],
  invalid: [
    invalid({
      name: 'node: built-in',
      filename: 'src-shared/a.ts',
      code: "import { readFileSync } from 'node:fs';",
      messageId: 'forbidden',
      layer: 'src-shared',
      source: 'node:fs',
    }),
    invalid({
      name: 'bare built-in',
      filename: 'src-shared/a.ts',
      code: "import path from 'path';",
      messageId: 'forbidden',
      layer: 'src-shared',
      source: 'path',
    }),
    invalid({
      name: 'react',
      filename: 'src-shared/a.ts',
      code: "import React from 'react';",
      messageId: 'forbidden',
      layer: 'src-shared',
      source: 'react',
    }),
    invalid({
      name: 'any other npm package, even type-only',
      filename: 'src-shared/a.ts',
      code: "import type { StoreApi } from 'zustand';",
      messageId: 'forbidden',
      layer: 'src-shared',
      source: 'zustand',
    }),
    invalid({
      name: 'electron',
      filename: 'src-shared/a.ts',
      code: "import { app } from 'electron';",
      messageId: 'electron',
      layer: 'src-shared',
      source: 'electron',
    }),
    invalid({
      name: 'file in src-server',
      filename: 'src-shared/a.ts',
      code: "import { x } from '../src-server/b';",
      messageId: 'forbidden',
      layer: 'src-shared',
      source: '../src-server/b',
    }),
    invalid({
      name: 'file outside the repository',
      filename: 'src-shared/a.ts',
      code: "import { x } from '../../elsewhere/b';",
      messageId: 'forbidden',
      layer: 'src-shared',
      source: '../../elsewhere/b',
    }),
  ],
});

tester.run('local/layers: src-server', layersRule, {
  valid: [
    valid('src-shared', 'src-server/api/x.ts', "import { z } from '../../src-shared/a';"),
    valid('own files', 'src-server/api/x.ts', "import { y } from '../store/y';"),
    valid('node: built-in', 'src-server/x.ts', "import { createServer } from 'node:https';"),
    valid('bare built-in subpath', 'src-server/x.ts', "import { readFile } from 'fs/promises';"),
    valid('npm package', 'src-server/x.ts', "import Database from 'better-sqlite3';"),
    valid('scoped package subpath', 'src-server/x.ts', "import { a } from '@scope/pkg/sub';"),
  ],
  invalid: [
    invalid({
      name: 'src-main',
      filename: 'src-server/x.ts',
      code: "import { a } from '../src-main/core/a';",
      messageId: 'forbidden',
      layer: 'src-server',
      source: '../src-main/core/a',
    }),
    invalid({
      name: 'src-renderer',
      filename: 'src-server/x.ts',
      code: "export { a } from '../src-renderer/a';",
      messageId: 'forbidden',
      layer: 'src-server',
      source: '../src-renderer/a',
    }),
    invalid({
      name: 'electron',
      filename: 'src-server/x.ts',
      code: "const e = await import('electron');",
      messageId: 'electron',
      layer: 'src-server',
      source: 'electron',
    }),
    invalid({
      name: 'react',
      filename: 'src-server/x.ts',
      code: "import { renderToString } from 'react-dom/server';",
      messageId: 'forbidden',
      layer: 'src-server',
      source: 'react-dom/server',
    }),
  ],
});

tester.run('local/layers: src-main/core', layersRule, {
  valid: [
    valid('src-shared', 'src-main/core/x.ts', "import { a } from '../../src-shared/a';"),
    valid('own files', 'src-main/core/sync/x.ts', "import { a } from '../replica/a';"),
    valid('node: built-in', 'src-main/core/x.ts', "import https from 'node:https';"),
    valid('npm package', 'src-main/core/x.ts', "import Database from 'better-sqlite3';"),
  ],
  invalid: [
    invalid({
      name: 'electron',
      filename: 'src-main/core/x.ts',
      code: "import { safeStorage } from 'electron';",
      messageId: 'electron',
      layer: 'src-main/core',
      source: 'electron',
    }),
    invalid({
      name: 'electron, type-only',
      filename: 'src-main/core/x.ts',
      code: "type W = import('electron').BrowserWindow;",
      messageId: 'electron',
      layer: 'src-main/core',
      source: 'electron',
    }),
    invalid({
      name: 'src-renderer',
      filename: 'src-main/core/x.ts',
      code: "import { a } from '../../src-renderer/a';",
      messageId: 'forbidden',
      layer: 'src-main/core',
      source: '../../src-renderer/a',
    }),
    invalid({
      name: 'src-server',
      filename: 'src-main/core/x.ts',
      code: "import { a } from '../../src-server/a';",
      messageId: 'forbidden',
      layer: 'src-main/core',
      source: '../../src-server/a',
    }),
    invalid({
      name: 'src-main/electron',
      filename: 'src-main/core/x.ts',
      code: "import { a } from '../electron/a';",
      messageId: 'forbidden',
      layer: 'src-main/core',
      source: '../electron/a',
    }),
    invalid({
      name: 'react',
      filename: 'src-main/core/x.ts',
      code: "const React = require('react');",
      messageId: 'forbidden',
      layer: 'src-main/core',
      source: 'react',
    }),
  ],
});

tester.run('local/layers: src-main/preview', layersRule, {
  valid: [
    valid('src-main/core', 'src-main/preview/preview-server.ts', "import { a } from '../core/a';"),
    valid(
      'src-shared',
      'src-main/preview/preview-server.ts',
      "import { a } from '../../src-shared/a';",
    ),
    valid('node: built-in', 'src-main/preview/cli/start.ts', "import path from 'node:path';"),
    valid('npm package', 'src-main/preview/preview-server.ts', "import { z } from 'zod';"),
  ],
  invalid: [
    invalid({
      name: 'electron',
      filename: 'src-main/preview/preview-server.ts',
      code: "import { app } from 'electron';",
      messageId: 'electron',
      layer: 'src-main/preview',
      source: 'electron',
    }),
    invalid({
      name: 'src-main/electron',
      filename: 'src-main/preview/preview-server.ts',
      code: "import { a } from '../electron/a';",
      messageId: 'forbidden',
      layer: 'src-main/preview',
      source: '../electron/a',
    }),
    invalid({
      name: 'src-server',
      filename: 'src-main/preview/cli/start.ts',
      code: "import { a } from '../../../src-server/a';",
      messageId: 'forbidden',
      layer: 'src-main/preview',
      source: '../../../src-server/a',
    }),
  ],
});

tester.run('local/layers: src-main/electron', layersRule, {
  valid: [
    valid(
      'electron',
      'src-main/electron/main.ts',
      "import { app, BrowserWindow } from 'electron';",
    ),
    valid('src-main/core', 'src-main/electron/main.ts', "import { a } from '../core/a';"),
    valid('src-shared', 'src-main/electron/main.ts', "import { a } from '../../src-shared/a';"),
    valid('node: built-in', 'src-main/electron/main.ts', "import path from 'node:path';"),
    valid('npm package', 'src-main/electron/main.ts', "import { z } from 'zod';"),
  ],
  invalid: [
    invalid({
      name: 'src-renderer',
      filename: 'src-main/electron/main.ts',
      code: "import { a } from '../../src-renderer/a';",
      messageId: 'forbidden',
      layer: 'src-main/electron',
      source: '../../src-renderer/a',
    }),
    invalid({
      name: 'src-server',
      filename: 'src-main/electron/main.ts',
      code: "import { a } from '../../src-server/a';",
      messageId: 'forbidden',
      layer: 'src-main/electron',
      source: '../../src-server/a',
    }),
  ],
});

tester.run('local/layers: src-renderer', layersRule, {
  valid: [
    valid('src-shared', 'src-renderer/app.tsx', "import type { Ticket } from '../src-shared/a';"),
    valid('own files', 'src-renderer/views/list.tsx', "import { useStore } from '../store';"),
    valid('react', 'src-renderer/app.tsx', "import { useState } from 'react';"),
    valid('zustand', 'src-renderer/store.ts', "import { create } from 'zustand';"),
  ],
  invalid: [
    invalid({
      name: 'node: built-in',
      filename: 'src-renderer/app.tsx',
      code: "import { readFile } from 'node:fs/promises';",
      messageId: 'forbidden',
      layer: 'src-renderer',
      source: 'node:fs/promises',
    }),
    invalid({
      name: 'bare built-in',
      filename: 'src-renderer/app.tsx',
      code: "import os from 'os';",
      messageId: 'forbidden',
      layer: 'src-renderer',
      source: 'os',
    }),
    invalid({
      name: 'electron',
      filename: 'src-renderer/app.tsx',
      code: "import { ipcRenderer } from 'electron';",
      messageId: 'electron',
      layer: 'src-renderer',
      source: 'electron',
    }),
    invalid({
      name: 'src-main',
      filename: 'src-renderer/app.tsx',
      code: "import { a } from '../src-main/core/a';",
      messageId: 'forbidden',
      layer: 'src-renderer',
      source: '../src-main/core/a',
    }),
    invalid({
      name: 'src-server',
      filename: 'src-renderer/app.tsx',
      code: "import { a } from '../src-server/a';",
      messageId: 'forbidden',
      layer: 'src-renderer',
      source: '../src-server/a',
    }),
  ],
});

tester.run('local/layers: tests and root files', layersRule, {
  valid: [
    valid(
      'tests import any layer',
      'tests/unit/x.test.ts',
      "import { a } from '../../src-main/core/a';",
    ),
    valid(
      'tests import the renderer',
      'tests/e2e/x.ts',
      "import { a } from '../../src-renderer/a';",
    ),
    valid('tests import built-ins', 'tests/unit/x.test.ts', "import fs from 'node:fs';"),
    valid('tests reach the electron stand-in', 'tests/unit/x.test.ts', "await import('electron');"),
    valid('root config file', 'vitest.config.ts', "import { defineConfig } from 'vitest/config';"),
  ],
  invalid: [
    invalid({
      name: 'electron in a root config file',
      filename: 'build.config.ts',
      code: "import { app } from 'electron';",
      messageId: 'electron',
      layer: 'root config file',
      source: 'electron',
    }),
  ],
});

tester.run('local/layers: unknown folders', layersRule, {
  valid: [
    valid('a file at the repository root', 'eslint.config.js', 'export default [];'),
    valid('a file outside the repository is not judged', '../x/y.ts', "import 'anything';"),
  ],
  invalid: [
    invalid({
      name: 'ts in an unknown top-level folder',
      filename: 'scripts/build.ts',
      code: 'export {};',
      messageId: 'unknownFolder',
    }),
    invalid({
      name: 'tsx in an unknown top-level folder',
      filename: 'assets/x.tsx',
      code: 'export const a = 1;',
      messageId: 'unknownFolder',
    }),
    invalid({
      name: 'a file directly in src-main',
      filename: 'src-main/index.ts',
      code: 'export {};',
      messageId: 'unknownFolder',
    }),
  ],
});

tester.run('local/layers: dependencies in package.json', layersRule, {
  valid: [
    valid('listed scoped package', 'src-server/x.ts', "import { a } from '@scope/pkg';"),
    valid('built-ins are exempt', 'tests/unit/x.test.ts', "import { test } from 'node:test';"),
  ],
  invalid: [
    invalid({
      name: 'unlisted package',
      filename: 'src-server/x.ts',
      code: "import express from 'express';",
      messageId: 'unlisted',
      layer: 'src-server',
      source: 'express',
    }),
    invalid({
      name: 'unlisted package subpath',
      filename: 'src-renderer/x.ts',
      code: "import { a } from 'lodash/fp';",
      messageId: 'unlisted',
      layer: 'src-renderer',
      source: 'lodash/fp',
    }),
    invalid({
      name: 'unlisted scoped package (only another package of the scope is listed)',
      filename: 'tests/unit/x.test.ts',
      code: "import { a } from '@scope/other/sub';",
      messageId: 'unlisted',
      layer: 'tests',
      source: '@scope/other/sub',
    }),
  ],
});

// Without a `dependencies` option the rule reads the repository's own package.json.
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
tester.run('local/layers: reads package.json', layersRule, {
  valid: [
    {
      filename: path.join(repoRoot, 'src-shared/x.ts'),
      code: "import { z } from 'zod';",
      options: [{ root: repoRoot }],
    },
    {
      filename: path.join(repoRoot, 'tests/unit/x.test.ts'),
      code: "import { describe } from 'vitest';",
      options: [{ root: repoRoot }],
    },
  ],
  invalid: [
    {
      filename: path.join(repoRoot, 'tests/unit/x.test.ts'),
      code: "import pad from 'left-pad';",
      options: [{ root: repoRoot }],
      errors: [
        {
          message:
            "tests imports 'left-pad', but package 'left-pad' is not in package.json dependencies or devDependencies.",
        },
      ],
    },
  ],
});

tester.run('local/layers: message wording', layersRule, {
  valid: [],
  invalid: [
    {
      filename: file('src-shared/a.ts'),
      code: "import fs from 'node:fs';",
      options,
      errors: [
        {
          message:
            "src-shared may not import 'node:fs' (a Node built-in): src-shared may import only src-shared files and 'zod'.",
        },
      ],
    },
    {
      filename: file('src-renderer/a.ts'),
      code: "import { app } from 'electron';",
      options,
      errors: [
        {
          message:
            "src-renderer may not import 'electron': only src-main/electron may import 'electron'.",
        },
      ],
    },
    {
      filename: file('scripts/x.ts'),
      code: 'export {};',
      options,
      errors: [
        {
          message:
            "'scripts/x.ts' is in no known layer (src-shared, src-server, src-main/core, src-main/electron, src-main/preview, src-renderer, tests); source files belong in one of them.",
        },
      ],
    },
  ],
});
