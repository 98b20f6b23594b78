import { parseArgs } from 'node:util';
import { ATTACHMENT_MAX_BYTES } from '../../src-shared/protocol/attachments';
import { ClientVersion } from '../../src-shared/protocol/client-version';
import { DEMO_PASSWORD } from '../demo/demo-tenants';
import { DEFAULT_LOGIN_HISTORY_DAYS, startServer } from '../server';
import { DATABASE_URL_ENV } from './open-data-dir';

const usage = `Usage: npm run server -- --port <P> --data-dir <D> [--demo] [--host 127.0.0.1]
       [--database postgres://USER@HOST:PORT/DB (or env HELPDESK_DATABASE_URL; default SQLite in D)]
       [--tls-cert FILE --tls-key FILE] [--insecure-http] [--login-history-days 90]
       [--attachment-max-mib 10] [--min-client-version 1.4.0]
       [--updates-dir FOLDER (the desktop app's update feed, served at /api/v1/updates/)]`;

export async function runServerCli(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: 'string' },
      'data-dir': { type: 'string' },
      database: { type: 'string' },
      demo: { type: 'boolean', default: false },
      host: { type: 'string', default: '127.0.0.1' },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      'insecure-http': { type: 'boolean', default: false },
      'login-history-days': { type: 'string', default: String(DEFAULT_LOGIN_HISTORY_DAYS) },
      'attachment-max-mib': { type: 'string', default: String(ATTACHMENT_MAX_BYTES / 2 ** 20) },
      'min-client-version': { type: 'string' },
      'updates-dir': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  const port = Number(values.port);
  // The URL may carry a password: the environment keeps it out of the process list.
  const databaseUrl = values.database ?? process.env[DATABASE_URL_ENV];
  const loginHistoryDays = Number(values['login-history-days']);
  const attachmentMaxMib = Number(values['attachment-max-mib']);
  if (
    values.help ||
    !values['data-dir'] ||
    !Number.isInteger(port) ||
    port < 0 ||
    port > 65535 ||
    !Number.isInteger(loginHistoryDays) ||
    loginHistoryDays < 1 ||
    !Number.isInteger(attachmentMaxMib) ||
    attachmentMaxMib < 1 ||
    attachmentMaxMib > 1024 ||
    (values['min-client-version'] !== undefined &&
      !ClientVersion.safeParse(values['min-client-version']).success)
  ) {
    console.error(usage);
    process.exit(values.help ? 0 : 2);
  }
  const server = await startServer({
    port,
    dataDir: values['data-dir'],
    ...(databaseUrl ? { databaseUrl } : {}),
    host: values.host,
    demo: values.demo,
    insecureHttp: values['insecure-http'],
    loginHistoryDays,
    attachmentMaxBytes: attachmentMaxMib * 2 ** 20,
    ...(values['tls-cert'] ? { tlsCertFile: values['tls-cert'] } : {}),
    ...(values['tls-key'] ? { tlsKeyFile: values['tls-key'] } : {}),
    ...(values['min-client-version'] ? { minClientVersion: values['min-client-version'] } : {}),
    ...(values['updates-dir'] ? { updatesDir: values['updates-dir'] } : {}),
    logLevel: process.env.LOG_LEVEL ?? 'info',
  });
  console.log(`Help desk service listening on ${server.url}`);
  if (server.caPath) console.log(`Development CA (trust this in clients): ${server.caPath}`);
  if (values.demo) {
    console.log(
      `Demo tenants: acme (admin@acme.test, agent1..5@acme.test), globex (admin@globex.test)`,
    );
    console.log(`Demo password: ${DEMO_PASSWORD}`);
  }
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping`);
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}
