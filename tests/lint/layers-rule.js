// ESLint rule `local/layers`: which folder may import what. Folder decides process, so a wrong
// import is a lint error, not a runtime surprise. Modelled on VS Code's code-layering rule.
//
// Plain JavaScript (ESM) so that eslint.config.js can load it without a build step.
// Tests: tests/unit/lint/layers-rule.test.ts.

import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';

/** @typedef {'src-shared' | 'src-server' | 'src-main/core' | 'src-main/electron' | 'src-main/preview' | 'src-renderer' | 'tests' | 'root'} Layer */
/** @typedef {Layer | 'unknown' | 'outside'} Place */
/**
 * @typedef {object} Policy
 * @property {readonly Layer[]} files layers whose files may be imported with a relative path
 * @property {boolean} builtins whether Node built-ins (node:*) may be imported
 * @property {boolean} electron whether 'electron' may be imported
 * @property {'all' | readonly string[]} packages npm packages that may be imported
 * @property {readonly string[]} [deniedPackages] npm packages that may never be imported
 * @property {string} summary what the layer may import, for messages
 */

// React belongs to the renderer; no Node-side layer has a use for it.
const UI_PACKAGES = ['react', 'react-dom'];

/** @type {Record<Exclude<Layer, 'tests'>, Policy>} */
const POLICIES = {
  'src-shared': {
    files: ['src-shared'],
    builtins: false,
    electron: false,
    packages: ['zod'],
    summary: "src-shared may import only src-shared files and 'zod'",
  },
  'src-server': {
    files: ['src-shared', 'src-server'],
    builtins: true,
    electron: false,
    packages: 'all',
    deniedPackages: UI_PACKAGES,
    summary: 'src-server may import src-shared, Node built-ins and npm packages',
  },
  'src-main/core': {
    files: ['src-shared', 'src-main/core'],
    builtins: true,
    electron: false,
    packages: 'all',
    deniedPackages: UI_PACKAGES,
    summary:
      "src-main/core may import src-shared, Node built-ins and npm packages, never 'electron'",
  },
  'src-main/electron': {
    files: ['src-shared', 'src-main/core', 'src-main/electron'],
    builtins: true,
    electron: true,
    packages: 'all',
    deniedPackages: UI_PACKAGES,
    summary:
      "src-main/electron may import src-main/core, src-shared, 'electron', Node built-ins and npm packages",
  },
  // Development tools that are never packaged: the browser preview (a loopback bridge to the core
  // services) and the `npm start` / `npm run dev` launchers. They start Electron as a program, so
  // they have no use for the 'electron' module.
  'src-main/preview': {
    files: ['src-shared', 'src-main/core', 'src-main/preview'],
    builtins: true,
    electron: false,
    packages: 'all',
    deniedPackages: UI_PACKAGES,
    summary:
      "src-main/preview may import src-main/core, src-shared, Node built-ins and npm packages, never 'electron'",
  },
  'src-renderer': {
    files: ['src-shared', 'src-renderer'],
    builtins: false,
    electron: false,
    packages: 'all',
    summary:
      'src-renderer may import src-shared and npm packages; it reaches the main process only through window.helpdesk',
  },
  root: {
    files: [
      'src-shared',
      'src-server',
      'src-main/core',
      'src-main/electron',
      'src-main/preview',
      'src-renderer',
      'tests',
      'root',
    ],
    builtins: true,
    electron: false,
    packages: 'all',
    summary: "root config files may import anything but 'electron'",
  },
};

const KNOWN_LAYERS =
  'src-shared, src-server, src-main/core, src-main/electron, src-main/preview, src-renderer, tests';

/**
 * Which layer a path (relative to the repository root, '/'-separated) belongs to.
 * @param {string} rel
 * @returns {Place}
 */
export function placeOf(rel) {
  if (rel === '' || rel.startsWith('../') || rel === '..' || path.isAbsolute(rel)) return 'outside';
  const parts = rel.split('/');
  if (parts.length === 1) return 'root';
  const [top, second] = parts;
  if (top === 'src-shared' || top === 'src-server' || top === 'src-renderer' || top === 'tests') {
    return top;
  }
  if (top === 'src-main' && parts.length > 2) {
    if (second === 'core') return 'src-main/core';
    if (second === 'electron') return 'src-main/electron';
    if (second === 'preview') return 'src-main/preview';
  }
  return 'unknown';
}

const BUILTINS = new Set(builtinModules);

/**
 * @param {string} source
 * @returns {boolean}
 */
export function isBuiltin(source) {
  if (source.startsWith('node:')) return true;
  return BUILTINS.has(source) || BUILTINS.has(source.split('/')[0] ?? source);
}

/**
 * The npm package a bare specifier names: 'a/b' → 'a', '@s/a/b' → '@s/a'.
 * @param {string} source
 * @returns {string}
 */
export function packageNameOf(source) {
  const parts = source.split('/');
  if (source.startsWith('@') && parts.length > 1) return `${parts[0]}/${parts[1]}`;
  return parts[0] ?? source;
}

/**
 * @param {string} source
 * @returns {boolean}
 */
function isPathSpecifier(source) {
  return (
    source === '.' ||
    source === '..' ||
    source.startsWith('./') ||
    source.startsWith('../') ||
    source.startsWith('/')
  );
}

/** @type {Map<string, ReadonlySet<string>>} */
const dependencyCache = new Map();

/**
 * Names listed in the package.json at `root` (dependencies of every kind).
 * @param {string} root
 * @returns {ReadonlySet<string>}
 */
function dependenciesAt(root) {
  const cached = dependencyCache.get(root);
  if (cached) return cached;
  /** @type {Record<string, Record<string, string> | undefined>} */
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  const names = new Set([
    ...Object.keys(pkg['dependencies'] ?? {}),
    ...Object.keys(pkg['devDependencies'] ?? {}),
    ...Object.keys(pkg['peerDependencies'] ?? {}),
    ...Object.keys(pkg['optionalDependencies'] ?? {}),
  ]);
  dependencyCache.set(root, names);
  return names;
}

/**
 * @param {string} name
 * @returns {string}
 */
function typesPackageOf(name) {
  return `@types/${name.startsWith('@') ? name.slice(1).replace('/', '__') : name}`;
}

/** @type {import('eslint').Rule.RuleModule} */
export const layersRule = {
  meta: {
    type: 'problem',
    docs: {
      description:
        'Enforce the folder layers (src-shared, src-server, src-main/core, src-main/electron, src-main/preview, src-renderer, tests) and that npm imports are declared in package.json',
    },
    schema: [
      {
        type: 'object',
        properties: {
          root: { type: 'string' },
          dependencies: { type: 'array', items: { type: 'string' } },
        },
        additionalProperties: false,
      },
    ],
    messages: {
      unknownFolder:
        "'{{file}}' is in no known layer ({{layers}}); source files belong in one of them.",
      forbidden: "{{layer}} may not import '{{source}}' ({{what}}): {{summary}}.",
      electron:
        "{{layer}} may not import '{{source}}': only src-main/electron may import 'electron'.",
      unlisted:
        "{{layer}} imports '{{source}}', but package '{{name}}' is not in package.json dependencies or devDependencies.",
    },
  },

  create(context) {
    /** @type {{ root?: string, dependencies?: string[] }} */
    const options = context.options[0] ?? {};
    const root = path.resolve(options.root ?? context.cwd);
    const filename = context.physicalFilename ?? context.filename;
    if (!path.isAbsolute(filename)) return {}; // '<input>' and friends: nothing to place.
    const rel = path.relative(root, filename).split(path.sep).join('/');
    const place = placeOf(rel);

    if (place === 'outside') return {};
    if (place === 'unknown') {
      return {
        Program(node) {
          context.report({
            node,
            messageId: 'unknownFolder',
            data: { file: rel, layers: KNOWN_LAYERS },
          });
        },
      };
    }

    /** @type {ReadonlySet<string> | undefined} */
    let dependencies = options.dependencies ? new Set(options.dependencies) : undefined;
    const layer = place === 'root' ? 'root config file' : place;
    const policy = place === 'tests' ? undefined : POLICIES[place];

    /**
     * @param {import('estree').Node} node
     * @param {unknown} value
     * @param {boolean} typeOnly
     */
    function check(node, value, typeOnly) {
      if (typeof value !== 'string') return;
      const source = value;

      if (isPathSpecifier(source)) {
        if (!policy) return;
        const targetRel = path
          .relative(root, path.resolve(path.dirname(filename), source))
          .split(path.sep)
          .join('/');
        const targetPlace = placeOf(targetRel);
        if (/** @type {readonly string[]} */ (policy.files).includes(targetPlace)) return;
        const what =
          targetPlace === 'outside'
            ? 'a file outside the repository'
            : targetPlace === 'unknown'
              ? `'${targetRel}', which is in no layer`
              : `a ${targetPlace} file`;
        context.report({
          node,
          messageId: 'forbidden',
          data: { layer, source, what, summary: policy.summary },
        });
        return;
      }

      if (isBuiltin(source)) {
        if (policy && !policy.builtins) {
          context.report({
            node,
            messageId: 'forbidden',
            data: { layer, source, what: 'a Node built-in', summary: policy.summary },
          });
        }
        return;
      }

      const name = packageNameOf(source);
      if (name === 'electron' && policy && !policy.electron) {
        context.report({ node, messageId: 'electron', data: { layer, source } });
        return;
      }
      if (policy) {
        const allowed = policy.packages === 'all' || policy.packages.includes(name);
        const denied = (policy.deniedPackages ?? []).includes(name);
        if (!allowed || denied) {
          context.report({
            node,
            messageId: 'forbidden',
            data: { layer, source, what: `npm package '${name}'`, summary: policy.summary },
          });
          return;
        }
      }

      dependencies ??= dependenciesAt(root);
      if (dependencies.has(name)) return;
      if (typeOnly && dependencies.has(typesPackageOf(name))) return;
      context.report({ node, messageId: 'unlisted', data: { layer, source, name } });
    }

    /**
     * @param {any} node
     * @returns {boolean}
     */
    const isTypeOnly = (node) =>
      node.importKind === 'type' ||
      node.exportKind === 'type' ||
      (Array.isArray(node.specifiers) &&
        node.specifiers.length > 0 &&
        node.specifiers.every(
          /** @param {any} s */ (s) => s.importKind === 'type' || s.exportKind === 'type',
        ));

    return {
      ImportDeclaration(node) {
        check(node.source, node.source.value, isTypeOnly(node));
      },
      ExportNamedDeclaration(node) {
        if (node.source) check(node.source, node.source.value, isTypeOnly(node));
      },
      ExportAllDeclaration(node) {
        check(node.source, node.source.value, isTypeOnly(node));
      },
      ImportExpression(node) {
        if (node.source.type === 'Literal') check(node.source, node.source.value, false);
      },
      CallExpression(node) {
        const [first] = node.arguments;
        if (
          node.callee.type === 'Identifier' &&
          node.callee.name === 'require' &&
          first?.type === 'Literal'
        ) {
          check(first, first.value, false);
        }
      },
      /** @param {any} node */
      TSImportEqualsDeclaration(node) {
        const ref = node.moduleReference;
        if (ref.type === 'TSExternalModuleReference' && ref.expression.type === 'Literal') {
          check(ref.expression, ref.expression.value, node.importKind === 'type');
        }
      },
      /** @param {any} node */
      TSImportType(node) {
        // typescript-eslint 8 has `source`; older versions only `argument` (a TSLiteralType).
        const literal = node.source ?? node.argument?.literal;
        if (literal?.type === 'Literal') check(literal, literal.value, true);
      },
    };
  },
};

export default { rules: { layers: layersRule } };
