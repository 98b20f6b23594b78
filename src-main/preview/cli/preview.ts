// `npm run preview`: the built renderer in a browser, over the loopback bridge to the core services.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { previewBanner } from '../launch-plan';
import { previewCredentials } from '../preview-credentials';
import { startPreview } from '../preview-server';
import { PROJECT_ROOT } from '../project';
import { RENDERER_DIR, rendererNeedsBuild, runNpmScript } from '../renderer-build';
import { stopOnSignals } from './stop-on-signals';

const usage = `Usage: npm run preview -- [--port P] [--data-dir D] [--ca FILE]
       [--server URL --tenant SLUG --email ADDRESS]`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      'data-dir': { type: 'string', default: '.data/preview' },
      ca: { type: 'string' },
      server: { type: 'string' },
      tenant: { type: 'string' },
      email: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  const port = Number(values.port);
  const { server, tenant, email } = values;
  const defaultsGiven = [server, tenant, email].filter(Boolean).length;
  if (values.help || !Number.isInteger(port) || port < 0 || port > 65535 || defaultsGiven % 3) {
    console.error(usage);
    process.exit(values.help ? 0 : 2);
  }
  if (rendererNeedsBuild()) await runNpmScript('build:renderer');
  const credentials = await previewCredentials();
  if (credentials.notice) console.log(credentials.notice);
  const preview = await startPreview({
    credentials: credentials.store,
    rendererDir: RENDERER_DIR,
    dataDir: path.resolve(PROJECT_ROOT, values['data-dir']),
    port,
    ...(values.ca ? { trustedCa: readFileSync(values.ca, 'utf8') } : {}),
    signInDefaults: server && tenant && email ? { serverUrl: server, tenant, email } : null,
  });
  for (const line of previewBanner(preview.url, false)) console.log(line);
  stopOnSignals(() => preview.close());
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
