import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { findElectronBinary } from './launch-plan';
import { PROJECT_ROOT } from './project';

/** The installed Electron binary, or null where its download never happened. */
export function installedElectron(): string | null {
  const packageDir = path.join(PROJECT_ROOT, 'node_modules/electron');
  let pathTxt: string | null = null;
  try {
    pathTxt = readFileSync(path.join(packageDir, 'path.txt'), 'utf8');
  } catch {
    // Not downloaded (or not installed): findElectronBinary answers null.
  }
  const overrideDist = process.env['ELECTRON_OVERRIDE_DIST_PATH'];
  return findElectronBinary(
    { packageDir, pathTxt, ...(overrideDist ? { overrideDist } : {}) },
    existsSync,
  );
}

/** Runs the app from the project folder until it quits; resolves to its exit code. */
export function runElectron(binary: string, env: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, ['.'], {
      cwd: PROJECT_ROOT,
      stdio: 'inherit',
      env: { ...process.env, ...env },
    });
    child.on('error', reject);
    child.on('exit', (code) => resolve(code ?? 1));
  });
}
