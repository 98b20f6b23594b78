// `npm run dev`: the renderer from Vite's dev server (hot reload) inside the preview, against the
// demo service; Electron opens it where its binary exists, else a browser does.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { demoPreviewOptions, ensureDemoService } from '../demo-service';
import { installedElectron, runElectron } from '../electron-binary';
import { buildScriptFor, chooseLaunch, demoEnvironment, previewBanner } from '../launch-plan';
import { startPreview } from '../preview-server';
import { PROJECT_ROOT, readPackageJson } from '../project';
import { runNpmScript } from '../renderer-build';
import { stopOnSignals } from './stop-on-signals';

/** The renderer's Vite config: at the project root, else in src-renderer (Vite finds it there). */
function viteConfig(): { configFile?: string; root?: string } {
  const atRoot = ['vite.config.ts', 'vite.config.mts', 'vite.config.js', 'vite.config.mjs']
    .map((name) => path.join(PROJECT_ROOT, name))
    .find((file) => existsSync(file));
  return atRoot ? { configFile: atRoot } : { root: path.join(PROJECT_ROOT, 'src-renderer') };
}

async function main(): Promise<void> {
  const log = (line: string) => console.log(line);
  const caFile = await ensureDemoService(log);
  const launch = chooseLaunch(installedElectron());
  if (launch.shell === 'preview') log(launch.notice);
  const preview = await startPreview({
    ...(await demoPreviewOptions(caFile, log)),
    dev: viteConfig(),
  });
  stopOnSignals(() => preview.close());

  if (launch.shell === 'electron') {
    // The preload and the main process are not hot-reloaded: built once, then the dev URL loaded.
    const build = buildScriptFor(launch, readPackageJson().scripts);
    if (build) await runNpmScript(build);
    const code = await runElectron(launch.binary, {
      ...demoEnvironment(caFile),
      HELPDESK_DEV_URL: preview.origin,
    });
    await preview.close();
    process.exit(code);
  }
  for (const line of previewBanner(preview.url, true)) log(line);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
