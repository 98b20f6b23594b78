// The Electron main process (bundled into dist/main.cjs by `npm run build:main`): wiring only.
import * as electron from 'electron';
import { startApp } from './app-lifecycle';

startApp(electron, {
  env: process.env,
  platform: process.platform,
  process,
  resourcesPath: process.resourcesPath,
});
