import { arch, platform, release } from 'node:os';
import type { AppInfo } from '../../../src-shared/bridge/contract';
import type { SyncSnapshot } from '../../../src-shared/bridge/sync-status';
import { redact, redactText, type RedactOptions } from './redact';

export interface DiagnosticsInput {
  app: AppInfo;
  /** The OS and runtime: platform, release, architecture, versions of Node, Electron… */
  system: Record<string, string>;
  /** Null when signed out. */
  account: { serverUrl: string; tenant: string; email: string; role: string } | null;
  sync: SyncSnapshot | null;
  /** The newest log lines, oldest first. */
  logLines: string[];
  generatedAt: string;
}

const MASK: RedactOptions = { maskEmails: true };

/**
 * The text an agent pastes into a support request: versions, system, account (email masked),
 * sync state and counts, and the recent log, every part redacted again (a line written before a
 * redaction rule existed is scrubbed now). No ticket contents: the log never holds them.
 */
export function diagnosticsReport(input: DiagnosticsInput): string {
  const { app, system, account, sync } = input;
  const lines = [
    `Help Desk diagnostics, ${input.generatedAt}`,
    `App: ${app.version} (${app.shell})`,
    ...Object.entries(system).map(([key, value]) => `${key}: ${value}`),
    account
      ? `Account: ${account.email} (${account.role}) at ${account.tenant} on ${account.serverUrl}`
      : 'Account: signed out',
    sync
      ? `Sync: ${JSON.stringify(sync.status)}; pending ${sync.pending}, needs attention ` +
        `${sync.needsAttention}, held ${sync.held}`
      : 'Sync: -',
    '',
    `Recent log (${input.logLines.length} lines):`,
    ...input.logLines.map(redactLine),
  ];
  return lines.map((line) => redactText(line, MASK)).join('\n');
}

/** A JSON log line is redacted by key again; any other line by pattern. */
function redactLine(line: string): string {
  try {
    return JSON.stringify(redact(JSON.parse(line) as unknown, MASK));
  } catch {
    return redactText(line, MASK);
  }
}

/** The OS and runtime this process runs on. */
export function systemInfo(): Record<string, string> {
  return {
    OS: `${platform()} ${release()} (${arch()})`,
    Node: process.versions.node,
    ...(process.versions.electron ? { Electron: process.versions.electron } : {}),
    ...(process.versions.chrome ? { Chromium: process.versions.chrome } : {}),
  };
}
