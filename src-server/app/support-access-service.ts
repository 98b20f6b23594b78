import { randomUUID } from 'node:crypto';
import type { SupportAccessListResponse } from '../../src-shared/protocol/admin';
import {
  SUPPORT_TICKET_LIST_MAX,
  type OperatorLoginRequest,
  type OperatorTokenResponse,
  type SupportAccessRequest,
  type SupportAccessResponse,
} from '../../src-shared/protocol/operator';
import type { AuthPolicy, RequestMeta } from '../auth/auth-service';
import { decoyHash, verifyPassword } from '../auth/passwords';
import type { TokenSigner } from '../auth/tokens';
import type { OperatorLoginEvent, OperatorRow, Storage } from '../storage/storage';
import { KeyedLock } from '../sync/keyed-lock';
import { ApiError } from './api-error';
import type { Viewer } from './viewer';

/** Operator tokens are short-lived and never refreshed: support access is a task, not a session. */
export const OPERATOR_TOKEN_SECONDS = 10 * 60;

const WRONG_CREDENTIALS = 'Wrong email or password.';

/** Who is calling the operator endpoints, as established from their operator token. */
export interface OperatorViewer {
  id: string;
  email: string;
}

/**
 * The service's staff and their only way to a tenant's records: each access names a reason and is
 * recorded (who, when, why, what) before anything is read; the tenant's admins see the record.
 */
export class SupportAccessService {
  /** Log-ins run one at a time, so a burst cannot pass the failure check before any is counted. */
  private readonly logins = new KeyedLock();

  constructor(
    private readonly storage: Storage,
    private readonly signer: TokenSigner,
    private readonly policy: Pick<
      AuthPolicy,
      'failureWindowSeconds' | 'maxFailuresPerAccount' | 'maxFailuresPerIp'
    >,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  login(request: OperatorLoginRequest, meta: RequestMeta): Promise<OperatorTokenResponse> {
    return this.logins.run('operator-login', () => this.attemptLogin(request, meta));
  }

  private async attemptLogin(
    request: OperatorLoginRequest,
    meta: RequestMeta,
  ): Promise<OperatorTokenResponse> {
    const now = this.clock();
    const event = (operator: OperatorRow | null, reason: OperatorLoginEvent['reason']) =>
      this.storage.recordOperatorLogin({
        id: randomUUID(),
        at: now.toISOString(),
        email: request.email,
        operatorId: operator?.id ?? null,
        ip: meta.ip,
        success: reason === 'ok',
        reason,
      });
    const windowMs = this.policy.failureWindowSeconds * 1000;
    const since = new Date(now.getTime() - windowMs).toISOString();
    const [account, ip] = await Promise.all([
      this.storage.operatorFailuresForEmail(request.email, since),
      this.storage.operatorFailuresForIp(meta.ip, since),
    ]);
    const limited = [
      account.count >= this.policy.maxFailuresPerAccount ? account.oldestAt : null,
      ip.count >= this.policy.maxFailuresPerIp ? ip.oldestAt : null,
    ].filter((at): at is string => at !== null);
    if (limited.length) {
      const until = Math.max(...limited.map((at) => Date.parse(at))) + windowMs;
      await event(null, 'rate_limited');
      throw new ApiError('rate_limited', 'Too many failed log-ins. Try again later.', {
        retryAfterSeconds: Math.max(1, Math.ceil((until - now.getTime()) / 1000)),
      });
    }
    const operator = await this.storage.findOperatorByEmail(request.email);
    const passwordOk = await verifyPassword(
      request.password,
      operator?.passwordHash ?? (await decoyHash()),
    );
    if (!operator || !operator.active || !passwordOk) {
      await event(operator, 'bad_credentials');
      throw new ApiError('unauthorized', WRONG_CREDENTIALS);
    }
    await event(operator, 'ok');
    const exp = Math.floor(now.getTime() / 1000) + OPERATOR_TOKEN_SECONDS;
    return {
      accessToken: this.signer.operatorToken({ oid: operator.id, exp }),
      expiresIn: OPERATOR_TOKEN_SECONDS,
      operator: { id: operator.id, email: operator.email },
    };
  }

  /** The operator behind a bearer token; a user's token is not one and answers 401. */
  async authenticate(authorization: string | undefined): Promise<OperatorViewer> {
    const match = /^Bearer ([A-Za-z0-9._~+/=-]+)$/.exec(authorization ?? '');
    if (!match) throw new ApiError('unauthorized', 'Missing or malformed bearer token.');
    const claims = this.signer.operatorClaims(match[1]!);
    if (!claims) throw new ApiError('unauthorized', 'Invalid operator token.');
    if (claims.exp * 1000 <= this.clock().getTime())
      throw new ApiError('unauthorized', 'Operator token expired.');
    const operator = await this.storage.getOperator(claims.oid);
    if (!operator?.active) throw new ApiError('unauthorized', 'No such operator.');
    return { id: operator.id, email: operator.email };
  }

  async openAccess(
    operator: OperatorViewer,
    slug: string,
    request: SupportAccessRequest,
  ): Promise<SupportAccessResponse> {
    const tenant = await this.storage.getTenantBySlug(slug);
    if (!tenant) throw new ApiError('not_found', 'No such tenant.');
    const access = {
      id: randomUUID(),
      tenantId: tenant.id,
      operatorId: operator.id,
      operatorEmail: operator.email,
      at: this.clock().toISOString(),
      reason: request.reason,
      scope: request.ticketId ? ('ticket' as const) : ('ticket_list' as const),
      ticketId: request.ticketId ?? null,
    };
    const read = await this.storage.openSupportAccess({
      ...access,
      listLimit: SUPPORT_TICKET_LIST_MAX,
    });
    if (!read) throw new ApiError('not_found', 'No such ticket.');
    const common = {
      access: { id: access.id, at: access.at, scope: access.scope, ticketId: access.ticketId },
      tenant: { id: tenant.id, slug: tenant.slug, name: tenant.name },
    };
    if (read.scope === 'ticket') return { ...common, ...read };
    return {
      ...common,
      scope: 'ticket_list',
      tickets: read.tickets.map(({ id, number, subject, status, priority, updatedAt }) => ({
        id,
        number,
        subject,
        status,
        priority,
        updatedAt,
      })),
    };
  }

  /** The tenant's audit list, for its admins. */
  async listAccess(viewer: Viewer, limit: number): Promise<SupportAccessListResponse> {
    if (viewer.role !== 'admin') throw new ApiError('forbidden', 'Only admins may do this.');
    const rows = await this.storage.listSupportAccess(viewer.tenantId, limit);
    return {
      entries: rows.map(({ at, operatorEmail, reason, scope, ticketId }) => ({
        at,
        operatorEmail,
        reason,
        scope,
        ticketId,
      })),
    };
  }
}
