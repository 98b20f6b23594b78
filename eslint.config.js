// Lint is part of `npm test`. The folder layers (ARCHITECTURE.md) are enforced by the local rule
// `local/layers` in tests/lint/layers-rule.js; the per-folder globals restrictions below keep DOM and
// Node globals out of the layers that must not see them (there is one tsconfig with DOM types).
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import local from './tests/lint/layers-rule.js';

const SOURCES = ['**/*.{js,mjs,cjs,ts,tsx,mts,cts}'];

const DOM_GLOBALS = [
  'window',
  'document',
  'navigator',
  'localStorage',
  'sessionStorage',
  'location',
];
const NODE_GLOBALS = [
  'process',
  'Buffer',
  'require',
  'module',
  'exports',
  '__dirname',
  '__filename',
  'global',
  'setImmediate',
];

// One typed channel map (GitHub Desktop's ipc-main.ts idea): raw IPC only where the contract is
// wired, so a channel made up anywhere else is a lint error. ipcMain and sending to a renderer
// (webContents.send and friends) belong to src-main/electron/ipc.ts, ipcRenderer to the preload.
const IPC_FILE = 'src-main/electron/ipc.ts';
const PRELOAD_FILE = 'src-main/electron/preload.ts';
const RAW_IPC_MAIN = [
  {
    selector: "MemberExpression[object.name='ipcMain']",
    message: `Register IPC only through registerBridge in ${IPC_FILE} (the bridge contract's channels).`,
  },
  {
    selector: "MemberExpression[object.property.name='ipcMain']",
    message: `Register IPC only through registerBridge in ${IPC_FILE} (the bridge contract's channels).`,
  },
  {
    selector: 'CallExpression[callee.property.name=/^(send|sendToFrame|postMessage)$/]',
    message: `Send to a renderer only through forwardEvents in ${IPC_FILE} (the bridge contract's events).`,
  },
];
const RAW_IPC_RENDERER = [
  {
    selector: "MemberExpression[object.name='ipcRenderer']",
    message: `Use ipcRenderer only in ${PRELOAD_FILE} (the bridge contract's channels).`,
  },
];

/**
 * @param {string[]} names
 * @param {string} why
 * @returns {import('eslint').Linter.RuleEntry}
 */
const restrictGlobals = (names, why) => [
  'error',
  ...names.map((name) => ({ name, message: `${name}: ${why}` })),
];

export default defineConfig(
  globalIgnores([
    '**/node_modules/',
    'dist/',
    'out/',
    'coverage/',
    'test-results/',
    'playwright-report/',
  ]),
  {
    files: SOURCES,
    extends: [js.configs.recommended, tseslint.configs.recommended],
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
    },
    plugins: { local },
    rules: {
      'local/layers': ['error', { root: import.meta.dirname }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
    },
  },
  {
    files: ['src-shared/**'],
    rules: {
      'no-restricted-globals': restrictGlobals(
        [...DOM_GLOBALS, ...NODE_GLOBALS, 'crypto', 'performance', 'setTimeout', 'setInterval'],
        'src-shared is pure TypeScript; take platform, clock and randomness as parameters.',
      ),
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'src-shared takes the clock as a parameter.' },
        {
          object: 'Math',
          property: 'random',
          message: 'src-shared takes randomness as a parameter.',
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'src-shared takes the clock as a parameter.',
        },
      ],
    },
  },
  {
    files: ['src-server/**', 'src-main/**'],
    languageOptions: { globals: globals.node },
    rules: {
      'no-restricted-globals': restrictGlobals(DOM_GLOBALS, 'there is no DOM in this process.'),
    },
  },
  {
    files: ['src-main/electron/**'],
    ignores: [IPC_FILE, PRELOAD_FILE],
    rules: { 'no-restricted-syntax': ['error', ...RAW_IPC_MAIN, ...RAW_IPC_RENDERER] },
  },
  { files: [IPC_FILE], rules: { 'no-restricted-syntax': ['error', ...RAW_IPC_RENDERER] } },
  { files: [PRELOAD_FILE], rules: { 'no-restricted-syntax': ['error', ...RAW_IPC_MAIN] } },
  {
    files: ['src-renderer/**'],
    languageOptions: { globals: globals.browser },
    rules: {
      'no-restricted-globals': restrictGlobals(
        NODE_GLOBALS,
        'the renderer has no Node; reach the main process through window.helpdesk.',
      ),
    },
  },
  {
    files: ['tests/**', '*.{js,mjs,cjs,ts,mts,cts}'],
    languageOptions: { globals: globals.node },
  },
  {
    // Tests read untyped JSON bodies off the wire; the schemas under test are what types them.
    files: ['tests/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  prettier,
);
