import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { rendererBuildIsStale } from './launch-plan';
import { PROJECT_ROOT } from './project';

export const RENDERER_DIR = path.join(PROJECT_ROOT, 'dist/renderer');

/** `npm run <script>` in the project, output shown; rejects when it fails. */
export function runNpmScript(script: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const child = spawn(npm, ['run', script], { cwd: PROJECT_ROOT, stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`npm run ${script} failed (exit code ${code}).`)),
    );
  });
}

function modifiedAt(file: string): number | null {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return null;
  }
}

/** The newest modification time of any file below a folder (0 when it is empty or missing). */
function newestFileIn(dir: string): number {
  let newest = 0;
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    const at = entry.isDirectory() ? newestFileIn(full) : (modifiedAt(full) ?? 0);
    newest = Math.max(newest, at);
  }
  return newest;
}

/** Whether dist/renderer is missing or older than src-renderer (or a Vite config at the root). */
export function rendererNeedsBuild(): boolean {
  const configs = readdirSync(PROJECT_ROOT).filter((name) => name.startsWith('vite.config.'));
  const newestSource = Math.max(
    newestFileIn(path.join(PROJECT_ROOT, 'src-renderer')),
    ...configs.map((name) => modifiedAt(path.join(PROJECT_ROOT, name)) ?? 0),
  );
  return rendererBuildIsStale(modifiedAt(path.join(RENDERER_DIR, 'index.html')), newestSource);
}
