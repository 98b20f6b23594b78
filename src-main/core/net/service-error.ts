import type { ErrorCode, FieldIssue } from '../../../src-shared/protocol/errors';
import { PIN_MISMATCH_CODE } from './tls-agent';

/**
 * Every way a call to the service can fail, as a closed set:
 * - `network`: no answer (refused, reset, timed out, name not found, connection lost mid-answer).
 * - `tls_untrusted`, `tls_expired`, `tls_hostname`, `tls_pin_mismatch`: the server is not the one
 *   we trust. Never retried silently and never bypassed.
 * - `insecure_url`: a plain http:// address that is not allowed (or not an http(s) address at all).
 * - `http`: the service answered with an error status (`status`, protocol `code`, …).
 * - `bad_response`: an answer that is not what the protocol says (wrong shape, not JSON, too large,
 *   unexpected status); its content is never used.
 */
export const SERVICE_ERROR_KINDS = [
  'network',
  'tls_untrusted',
  'tls_expired',
  'tls_hostname',
  'tls_pin_mismatch',
  'insecure_url',
  'http',
  'bad_response',
] as const;
export type ServiceErrorKind = (typeof SERVICE_ERROR_KINDS)[number];

/** A protocol error code (PROTOCOL.md), or one a newer service sends that this client does not know. */
export type HttpErrorCode = ErrorCode | (string & {});

export interface ServiceErrorInit {
  /** The message for a person; the kind's standard message when left out. */
  message?: string;
  /** http: the response status. bad_response: the status of the answer, when there was one. */
  status?: number;
  /** http: the protocol error code. */
  code?: HttpErrorCode;
  /** http: seconds to wait, from Retry-After (429, 503). */
  retryAfterSeconds?: number;
  /** http mutation_gap: the last mutation id the service recorded. */
  lastMutationId?: number;
  /** http bad_request: the fields the service named. */
  details?: FieldIssue[];
  /** http upgrade_required: the oldest client version the service accepts. */
  minVersion?: string;
  /** The X-Request-Id of the answer, for support. */
  requestId?: string;
  /** network/tls: the Node or OpenSSL error code underneath (ECONNREFUSED, CERT_HAS_EXPIRED…). */
  systemCode?: string;
  /** bad_response: what was wrong with the answer (for logs, not for people). */
  reason?: string;
  cause?: unknown;
}

const MESSAGES: Record<ServiceErrorKind, string> = {
  network: 'The server could not be reached.',
  tls_untrusted: "The server's certificate is not trusted.",
  tls_expired: "The server's certificate has expired or is not yet valid.",
  tls_hostname: "The server's certificate is for a different address.",
  tls_pin_mismatch: "The server's key does not match the pinned key.",
  insecure_url: 'Only https:// server addresses are allowed.',
  http: 'The server answered with an error.',
  bad_response: 'The server sent an answer this app does not understand.',
};

const MAX_SERVER_MESSAGE = 500;

export class ServiceError extends Error {
  override readonly name = 'ServiceError';
  readonly kind: ServiceErrorKind;
  readonly status: number | null;
  readonly code: HttpErrorCode | null;
  readonly retryAfterSeconds: number | null;
  readonly lastMutationId: number | null;
  readonly details: FieldIssue[] | null;
  readonly minVersion: string | null;
  readonly requestId: string | null;
  readonly systemCode: string | null;
  readonly reason: string | null;

  constructor(kind: ServiceErrorKind, init: ServiceErrorInit = {}) {
    const message = (init.message ?? MESSAGES[kind]).slice(0, MAX_SERVER_MESSAGE);
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.kind = kind;
    this.status = init.status ?? null;
    this.code = init.code ?? null;
    this.retryAfterSeconds = init.retryAfterSeconds ?? null;
    this.lastMutationId = init.lastMutationId ?? null;
    this.details = init.details ?? null;
    this.minVersion = init.minVersion ?? null;
    this.requestId = init.requestId ?? null;
    this.systemCode = init.systemCode ?? null;
    this.reason = init.reason ?? null;
  }

  /** True for a ServiceError, optionally of one of the given kinds. */
  static is(error: unknown, ...kinds: ServiceErrorKind[]): error is ServiceError {
    return error instanceof ServiceError && (kinds.length === 0 || kinds.includes(error.kind));
  }

  /** A certificate or key problem: shown as such, never retried silently. */
  get isTls(): boolean {
    return this.kind.startsWith('tls_');
  }

  /**
   * Worth trying again later, by itself: no answer, or the service asked to wait (429, 503), or a
   * server-side failure (5xx).
   */
  get retryable(): boolean {
    if (this.kind === 'network') return true;
    if (this.kind !== 'http' || this.status === null) return false;
    return this.status === 429 || this.status >= 500;
  }
}

/** The standard message of a kind. */
export function messageOf(kind: ServiceErrorKind): string {
  return MESSAGES[kind];
}

const UNTRUSTED_CODES = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
  'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_REVOKED',
  'INVALID_CA',
  'INVALID_PURPOSE',
  'PATH_LENGTH_EXCEEDED',
  'CERT_CHAIN_TOO_LONG',
  'ERR_TLS_CERT_SIGNATURE_ALGORITHM_UNSUPPORTED',
]);
const EXPIRED_CODES = new Set([
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERROR_IN_CERT_NOT_BEFORE_FIELD',
  'ERROR_IN_CERT_NOT_AFTER_FIELD',
]);
const HOSTNAME_CODES = new Set(['ERR_TLS_CERT_ALTNAME_INVALID', 'HOSTNAME_MISMATCH']);

const NETWORK_MESSAGES: Record<string, string> = {
  ECONNREFUSED: 'The server refused the connection. It may be down.',
  ECONNRESET: 'The connection to the server was lost.',
  EPIPE: 'The connection to the server was lost.',
  ETIMEDOUT: 'The server did not answer in time.',
  ECONNABORTED: 'The server did not answer in time.',
  ENOTFOUND: 'The server address could not be found.',
  EAI_AGAIN: 'The server address could not be looked up. Check the network.',
  ENETUNREACH: 'The network is unreachable.',
  EHOSTUNREACH: 'The server is unreachable.',
};

/** Every error code found on an error, its causes and, for AggregateError, its members. */
function codesOf(error: unknown, depth = 0): string[] {
  if (!error || typeof error !== 'object' || depth > 5) return [];
  const record = error as { code?: unknown; cause?: unknown; errors?: unknown };
  const own = typeof record.code === 'string' ? [record.code] : [];
  const members = Array.isArray(record.errors)
    ? record.errors.flatMap((member) => codesOf(member, depth + 1))
    : [];
  return [...own, ...codesOf(record.cause, depth + 1), ...members];
}

/**
 * Maps a failure below HTTP (a Node, OpenSSL or axios error) to a ServiceError. `timedOut` says the
 * caller's own deadline fired.
 */
export function classifyTransportError(error: unknown, timedOut = false): ServiceError {
  if (error instanceof ServiceError) return error;
  const codes = codesOf(error);
  const find = (set: ReadonlySet<string>) => codes.find((code) => set.has(code));
  if (codes.includes(PIN_MISMATCH_CODE)) {
    return new ServiceError('tls_pin_mismatch', { systemCode: PIN_MISMATCH_CODE, cause: error });
  }
  const hostname = find(HOSTNAME_CODES);
  if (hostname) return new ServiceError('tls_hostname', { systemCode: hostname, cause: error });
  const expired = find(EXPIRED_CODES);
  if (expired) {
    return new ServiceError('tls_expired', {
      systemCode: expired,
      cause: error,
      ...(expired === 'CERT_HAS_EXPIRED'
        ? { message: "The server's certificate has expired." }
        : {}),
    });
  }
  const untrusted = find(UNTRUSTED_CODES);
  if (untrusted) return new ServiceError('tls_untrusted', { systemCode: untrusted, cause: error });
  if (timedOut) {
    return new ServiceError('network', {
      systemCode: 'ETIMEDOUT',
      message: NETWORK_MESSAGES['ETIMEDOUT'],
      cause: error,
    });
  }
  const known = codes.find((code) => NETWORK_MESSAGES[code] !== undefined);
  const systemCode = known ?? codes[0] ?? 'UNKNOWN';
  const message =
    (known && NETWORK_MESSAGES[known]) ||
    (systemCode.startsWith('ERR_SSL') || systemCode === 'EPROTO'
      ? 'A secure connection to the server could not be made.'
      : MESSAGES.network);
  return new ServiceError('network', { systemCode, message, cause: error });
}

const MAX_RETRY_AFTER_SECONDS = 86_400;

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const IMF_FIXDATE = /^[A-Za-z]{3}, (\d{2}) ([A-Za-z]{3}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT$/;
const RFC850_DATE = /^[A-Za-z]{6,9}, (\d{2})-([A-Za-z]{3})-(\d{2}) (\d{2}):(\d{2}):(\d{2}) GMT$/;
const ASCTIME_DATE = /^[A-Za-z]{3} ([A-Za-z]{3}) ( \d|\d{2}) (\d{2}):(\d{2}):(\d{2}) (\d{4})$/;

/** An HTTP date in any of the three forms of RFC 9110 5.6.7, as epoch milliseconds, or null. */
function parseHttpDate(text: string, now: number): number | null {
  const utc = (day: string, month: string, year: number, h: string, m: string, s: string) => {
    const monthIndex = MONTHS.indexOf(month.toLowerCase());
    if (monthIndex < 0) return null;
    const at = Date.UTC(year, monthIndex, Number(day), Number(h), Number(m), Number(s));
    return Number.isNaN(at) ? null : at;
  };
  let match = IMF_FIXDATE.exec(text);
  if (match) {
    const [, day, month, year, h, m, s] = match as unknown as string[];
    return utc(day!, month!, Number(year), h!, m!, s!);
  }
  match = RFC850_DATE.exec(text);
  if (match) {
    const [, day, month, yy, h, m, s] = match as unknown as string[];
    // A two-digit year more than 50 years ahead is in the past century (RFC 9110 5.6.7).
    const thisYear = new Date(now).getUTCFullYear();
    let year = Math.floor(thisYear / 100) * 100 + Number(yy);
    if (year > thisYear + 50) year -= 100;
    return utc(day!, month!, year, h!, m!, s!);
  }
  match = ASCTIME_DATE.exec(text);
  if (match) {
    const [, month, day, h, m, s, year] = match as unknown as string[];
    return utc(day!.trim(), month!, Number(year), h!, m!, s!);
  }
  return null;
}

/**
 * Retry-After as whole seconds from `now`: either delay-seconds or an HTTP date (RFC 9110 10.2.3).
 * Null when absent or unreadable; clamped to [0, 1 day] so that a hostile value cannot park the
 * client for ever.
 */
export function parseRetryAfter(value: unknown, now: number = Date.now()): number | null {
  const text = Array.isArray(value) ? value[0] : value;
  if (typeof text !== 'string') return null;
  const trimmed = text.trim();
  let seconds: number;
  if (/^\d+$/.test(trimmed)) {
    seconds = Number(trimmed);
  } else {
    const at = parseHttpDate(trimmed, now);
    if (at === null) return null;
    seconds = Math.ceil((at - now) / 1000);
  }
  if (!Number.isFinite(seconds)) return null;
  return Math.min(MAX_RETRY_AFTER_SECONDS, Math.max(0, seconds));
}

/**
 * What the person reads when the service asks for a newer app (426 upgrade_required): nothing
 * queued is lost meanwhile, since the outbox stays as it is until the updated app sends it.
 */
export function upgradeRequiredMessage(minVersion: string | null): string {
  const to = minVersion ? `update to ${minVersion} or later` : 'update it';
  return `This version of Help Desk is too old for the service; ${to}. Your pending changes are kept.`;
}
