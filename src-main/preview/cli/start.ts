// `npm start`: the demo service (started when not running), then the desktop app against it, or,
// where Electron's binary is missing, the browser preview against it.
import { demoPreviewOptions, ensureDemoService } from '../demo-service';
import { installedElectron, runElectron } from '../electron-binary';
import { buildScriptFor, chooseLaunch, demoEnvironment, previewBanner } from '../launch-plan';
import { startPreview } from '../preview-server';
import { readPackageJson } from '../project';
import { rendererNeedsBuild, runNpmScript } from '../renderer-build';
import { stopOnSignals } from './stop-on-signals';

async function main(): Promise<void> {
  const log = (line: string) => console.log(line);
  const caFile = await ensureDemoService(log);
  const launch = chooseLaunch(installedElectron());
  const build = buildScriptFor(launch, readPackageJson().scripts);
  if (build && (launch.shell === 'electron' || rendererNeedsBuild())) await runNpmScript(build);

  if (launch.shell === 'electron') {
    process.exit(await runElectron(launch.binary, demoEnvironment(caFile)));
  }
  log(launch.notice);
  const preview = await startPreview(await demoPreviewOptions(caFile, log));
  for (const line of previewBanner(preview.url, true)) log(line);
  stopOnSignals(() => preview.close());
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
