import { join } from 'node:path';
import { build } from 'esbuild';

/** How to start a bundled child: node's arguments, before the child's own. */
export type ChildLaunch = readonly string[];

/**
 * Bundles a child process's TypeScript entry into one CommonJS file in `outDir`, for tests that
 * start it many times and SIGKILL it: plain node runs it, so a kill ends the one process that
 * holds the files, and a start costs no TypeScript compile. Starts are kept cheap besides: the
 * bundle is compiled from a V8 code cache (code-cache-loader.ts), and node's global `fetch` is
 * off, as loading it on first touch (axios looks for it) cost 70 ms a start; the children talk
 * through node's https module, never fetch. Native modules stay outside, found through NODE_PATH
 * (see childEnv).
 */
export async function bundleChild(
  root: string,
  entry: string,
  outDir: string,
): Promise<ChildLaunch> {
  const name = entry.split('/').at(-1)!.replace(/\.ts$/, '');
  await build({
    entryPoints: {
      [name]: join(root, entry),
      'code-cache-loader': join(root, 'tests', 'support', 'code-cache-loader.ts'),
    },
    outdir: outDir,
    outExtension: { '.js': '.cjs' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['better-sqlite3', 'keytar', 'electron'],
    // Less to read and parse at each start; names are kept, for readable stacks.
    minifyWhitespace: true,
    minifySyntax: true,
    logLevel: 'error',
  });
  return [
    '--no-experimental-fetch',
    join(outDir, 'code-cache-loader.cjs'),
    join(outDir, `${name}.cjs`),
  ];
}

/** The environment of a bundled child: the project's node_modules for its native modules. */
export function childEnv(root: string): NodeJS.ProcessEnv {
  return { ...process.env, NODE_PATH: join(root, 'node_modules') };
}
