/**
 * `node code-cache-loader.cjs <bundle.cjs> <args…>`: runs a CommonJS bundle with a V8 code cache
 * kept next to it (Node 20 has no `module.enableCompileCache`). The bundle is compiled from the
 * cache when there is one; a process that found none writes it as it exits, with every function it
 * compiled while it ran. A chaos series starts its client thousands of times: without the cache,
 * each start parsed and compiled the 1.5 MB bundle again (tests/support/child-bundle.ts).
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire, wrap } from 'node:module';
import { dirname } from 'node:path';
import { Script } from 'node:vm';

const bundle = process.argv[2] ?? '';
// The bundle reads its own arguments from argv[2] on, as when node runs it directly.
process.argv.splice(1, 2, bundle);

const cacheFile = `${bundle}.v8-cache`;
const cachedData = existsSync(cacheFile) ? readFileSync(cacheFile) : undefined;
const script = new Script(wrap(readFileSync(bundle, 'utf8')), { filename: bundle, cachedData });
if (!cachedData || script.cachedDataRejected) {
  process.once('exit', () => {
    // Several clients may exit at once: each writes its own file, and a rename is atomic.
    const partial = `${cacheFile}.${process.pid}`;
    writeFileSync(partial, script.createCachedData());
    renameSync(partial, cacheFile);
  });
}
const commonJs = { exports: {} };
(script.runInThisContext() as (...args: unknown[]) => void)(
  commonJs.exports,
  createRequire(bundle),
  commonJs,
  bundle,
  dirname(bundle),
);
