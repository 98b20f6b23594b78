import { ERROR_STATUS, type ErrorCode, type FieldIssue } from '../../src-shared/protocol/errors';

/** An error the service answers with on purpose: the code decides the status. */
export class ApiError extends Error {
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly extra: {
      details?: FieldIssue[];
      lastMutationId?: number;
      retryAfterSeconds?: number;
      /** upgrade_required: the oldest client version the service accepts. */
      minVersion?: string;
    } = {},
  ) {
    super(message);
    this.status = ERROR_STATUS[code];
  }

  toBody(): { error: Record<string, unknown> } {
    const { retryAfterSeconds: _ignored, ...members } = this.extra;
    return { error: { code: this.code, message: this.message, ...members } };
  }
}
