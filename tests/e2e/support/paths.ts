import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const RENDERER_DIR = path.join(ROOT, 'dist', 'renderer');
/** Kept after the run (test-results/e2e is Playwright's and is emptied at each run). */
export const SCREENSHOTS = path.join(ROOT, 'test-results', 'screenshots');
