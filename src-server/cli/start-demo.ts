import { runServerCli } from './run-server';

/**
 * `npm start` until the desktop app lands: the hosted service with demo data on a fixed port, so a
 * new user has a working help desk to point any client at.
 */
const port = process.env.HELPDESK_PORT ?? '8443';
const dataDir = process.env.HELPDESK_DATA_DIR ?? '.data/demo';
console.log('Starting the hosted help desk service with demo data (the desktop app comes next).');
runServerCli(['--port', port, '--data-dir', dataDir, '--demo']).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
