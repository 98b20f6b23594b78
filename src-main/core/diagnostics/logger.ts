import { redact, redactText } from './redact';
import type { RotatingLog } from './rotating-log';

export type LogLevel = 'info' | 'warn' | 'error';

/** What the core writes to the diagnostics log: an event name and a few fields. */
export interface Logger {
  info(event: string, fields?: Record<string, unknown>): void;
  warn(event: string, fields?: Record<string, unknown>): void;
  error(event: string, fields?: Record<string, unknown>): void;
}

/** For callers given no log. */
export const NO_LOG: Logger = { info: () => {}, warn: () => {}, error: () => {} };

/**
 * A logger writing JSON lines (`{"t", "level", "event", ...fields}`) to a rotating log, every
 * field redacted first (emails kept: the log stays on this machine; the report masks them). A
 * failing disk never fails the caller: the log is for diagnosis, not part of the work.
 */
export function createLogger(log: RotatingLog, clock: () => Date = () => new Date()): Logger {
  const write =
    (level: LogLevel) =>
    (event: string, fields: Record<string, unknown> = {}) => {
      try {
        const head = { t: clock().toISOString(), level, event: redactText(event) };
        // The head again after the fields: a field cannot pass for the time, level or event.
        log.append(JSON.stringify({ ...head, ...(redact(fields) as object), ...head }));
      } catch {
        // Nothing to tell: the log is what would have told.
      }
    };
  return { info: write('info'), warn: write('warn'), error: write('error') };
}
