import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { SCREENSHOTS, ROOT } from './support/paths';

/** Builds the renderer once for every spec: the preview serves dist/renderer as it is. */
export default function globalSetup(): void {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const build = spawnSync(npm, ['run', 'build:renderer'], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) {
    throw new Error(`npm run build:renderer failed (exit ${build.status ?? build.signal})`);
  }
}
