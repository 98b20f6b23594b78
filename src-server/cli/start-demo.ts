import { runServerCli } from './run-server';

/**
 * `npm run demo` (and the first step of `npm start`): the hosted service with demo data on a fixed
 * port, so a new user has a working help desk to point the app, or any client, at.
 */
const port = process.env.HELPDESK_PORT ?? '8443';
const dataDir = process.env.HELPDESK_DATA_DIR ?? '.data/demo';
console.log(
  'Starting the hosted help desk service with demo data (`npm start` opens the app against it).',
);
runServerCli(['--port', port, '--data-dir', dataDir, '--demo']).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
