import { randomBytes, randomUUID } from 'node:crypto';
import type { LoginEvent } from '../../src-shared/domain/entities';
import type {
  LoginRequest,
  RefreshRequest,
  SignupInput,
  SignupResponse,
  TokenResponse,
} from '../../src-shared/protocol/auth';
import { ApiError } from '../app/api-error';
import type { Viewer } from '../app/viewer';
import {
  AlreadyExistsError,
  type FailureWindow,
  type NewUser,
  type Storage,
  type TenantRow,
  type UserRow,
} from '../storage/storage';
import { assertStrongPassword } from './password-rules';
import { decoyHash, hashPassword, verifyPassword } from './passwords';
import { slugify, uniqueSlug } from './slug';
import { newTokenId, type TokenSigner } from './tokens';

export interface AuthPolicy {
  accessTokenSeconds: number;
  refreshTokenDays: number;
  /** A refresh token presented again this soon, by the same client, gets the same new pair. */
  refreshGraceSeconds: number;
  failureWindowSeconds: number;
  maxFailuresPerAccount: number;
  maxFailuresPerIp: number;
}

export const DEFAULT_AUTH_POLICY: AuthPolicy = {
  accessTokenSeconds: 15 * 60,
  refreshTokenDays: 30,
  refreshGraceSeconds: 60,
  failureWindowSeconds: 15 * 60,
  maxFailuresPerAccount: 5,
  maxFailuresPerIp: 50,
};

export interface RequestMeta {
  ip: string;
  userAgent: string | null;
}

const WRONG_CREDENTIALS = 'Wrong tenant, email or password.';

/**
 * The 429 when either failure window (per account, per IP address) is full, or null. It lasts
 * until the oldest failure of the fuller window leaves it.
 */
export function rateLimitError(
  policy: Pick<AuthPolicy, 'failureWindowSeconds' | 'maxFailuresPerAccount' | 'maxFailuresPerIp'>,
  now: Date,
  account: FailureWindow,
  ip: FailureWindow,
  message: string,
): ApiError | null {
  const limited = [
    account.count >= policy.maxFailuresPerAccount ? (account.oldestAt ?? now.toISOString()) : null,
    ip.count >= policy.maxFailuresPerIp ? (ip.oldestAt ?? now.toISOString()) : null,
  ].filter((at): at is string => at !== null);
  if (!limited.length) return null;
  const until =
    Math.max(...limited.map((at) => Date.parse(at))) + policy.failureWindowSeconds * 1000;
  return new ApiError('rate_limited', message, {
    retryAfterSeconds: Math.max(1, Math.ceil((until - now.getTime()) / 1000)),
  });
}

export function newEpoch(): string {
  return randomBytes(9).toString('base64url');
}

export class AuthService {
  constructor(
    private readonly storage: Storage,
    private readonly signer: TokenSigner,
    private readonly policy: AuthPolicy = DEFAULT_AUTH_POLICY,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async signup(input: SignupInput): Promise<SignupResponse> {
    assertStrongPassword(input.user.password, {
      email: input.user.email,
      tenantSlug: slugify(input.company.name),
    });
    const now = this.clock().toISOString();
    const tenantId = randomUUID();
    const admin: NewUser = {
      id: randomUUID(),
      name: input.user.name,
      email: input.user.email,
      passwordHash: await hashPassword(input.user.password),
      role: 'admin',
      phone: input.user.phone,
      title: input.user.title,
      department: input.user.department,
      fax: input.user.fax,
      newsletter: input.newsletter ?? false,
      productUpdates: true,
    };
    // Two sign-ups may race for one slug: the loser takes the next free one.
    for (let attempt = 0; ; attempt++) {
      const slug = await uniqueSlug(slugify(input.company.name), (s) => this.storage.slugExists(s));
      try {
        await this.storage.createTenant({
          id: tenantId,
          slug,
          epoch: newEpoch(),
          now,
          admin,
          company: {
            id: tenantId,
            slug,
            name: input.company.name,
            address: input.company.address,
            phone: input.company.phone,
            website: input.company.website,
            seats: input.seats,
            updatedAt: now,
          },
        });
        return {
          tenant: { id: tenantId, slug, name: input.company.name },
          user: { id: admin.id, email: admin.email, role: 'admin' },
        };
      } catch (error) {
        if (!(error instanceof AlreadyExistsError) || attempt > 5) throw error;
      }
    }
  }

  /**
   * Log-in attempts still being checked, per account and per IP address. They count against the
   * limits as if they had failed: without this, a burst of concurrent attempts would all pass the
   * check before the first failure is recorded, and try far more passwords than the limit allows.
   */
  private readonly inFlight = new Map<string, number>();

  async login(request: LoginRequest, meta: RequestMeta): Promise<TokenResponse> {
    // Taken before any await: of two concurrent attempts, the later one counts the earlier.
    const keys = [
      `account:${request.tenant}:${request.email.toLowerCase()}`,
      `ip:${meta.ip}`,
    ] as const;
    const [accountAhead, ipAhead] = keys.map((key) => this.inFlight.get(key) ?? 0) as [
      number,
      number,
    ];
    for (const key of keys) this.inFlight.set(key, (this.inFlight.get(key) ?? 0) + 1);
    try {
      return await this.attemptLogin(request, meta, accountAhead, ipAhead);
    } finally {
      for (const key of keys) {
        const left = (this.inFlight.get(key) ?? 1) - 1;
        if (left > 0) this.inFlight.set(key, left);
        else this.inFlight.delete(key);
      }
    }
  }

  private async attemptLogin(
    request: LoginRequest,
    meta: RequestMeta,
    accountAhead: number,
    ipAhead: number,
  ): Promise<TokenResponse> {
    const now = this.clock();
    const since = new Date(now.getTime() - this.policy.failureWindowSeconds * 1000).toISOString();
    const tenant = await this.storage.getTenantBySlug(request.tenant);
    const event = (user: UserRow | null, reason: LoginEvent['reason']) =>
      this.storage.recordLoginEvent({
        id: randomUUID(),
        at: now.toISOString(),
        tenantId: tenant?.id ?? null,
        tenantSlug: request.tenant,
        email: request.email,
        userId: user?.id ?? null,
        ip: meta.ip,
        userAgent: meta.userAgent?.slice(0, 300) ?? null,
        clientId: request.clientId ?? null,
        success: reason === 'ok',
        reason,
      });

    const [account, ip] = await Promise.all([
      this.storage.failuresForAccount(request.tenant, request.email, since),
      this.storage.failuresForIp(meta.ip, since),
    ]);
    // Attempts still in flight may yet fail: until they are recorded they count as failures now.
    const limited = rateLimitError(
      this.policy,
      now,
      { ...account, count: account.count + accountAhead },
      { ...ip, count: ip.count + ipAhead },
      'Too many failed log-ins. Try again later.',
    );
    if (limited) {
      await event(null, 'rate_limited');
      throw limited;
    }

    const user = tenant ? await this.storage.findUserByEmail(tenant.id, request.email) : null;
    const passwordOk = await verifyPassword(
      request.password,
      user?.passwordHash ?? (await decoyHash()),
    );
    // Invited or reset: there is no password to try yet, only the setup token to use.
    if (tenant && user?.mustSetPassword && user.active) {
      await event(user, 'password_setup_required');
      throw new ApiError(
        'password_setup_required',
        'Set your password with the setup token from your administrator before logging in.',
      );
    }
    if (!tenant || !user || !passwordOk) {
      await event(user, 'bad_credentials');
      throw new ApiError('unauthorized', WRONG_CREDENTIALS);
    }
    if (!user.active) {
      await event(user, 'account_disabled');
      throw new ApiError(
        'account_disabled',
        'This account has been deactivated by an administrator.',
      );
    }
    const sessionId = randomUUID();
    const token = this.newRefreshToken(sessionId, now);
    await this.storage.createSession(
      {
        id: sessionId,
        tenantId: tenant.id,
        userId: user.id,
        device: meta.userAgent?.slice(0, 300) ?? null,
        createdAt: token.issuedAt,
      },
      token,
    );
    await event(user, 'ok');
    return this.tokenResponse(tenant, user, sessionId, token.id, token.issuedAt);
  }

  async refresh(request: RefreshRequest): Promise<TokenResponse> {
    const invalid = () =>
      new ApiError('unauthorized', 'The session has ended. Please sign in again.');
    const id = this.signer.refreshTokenId(request.refreshToken);
    const row = id ? await this.storage.getRefreshToken(id) : null;
    if (!row) throw invalid();
    const session = await this.storage.getSessionAuth(row.sessionId);
    if (session && !session.active)
      throw new ApiError('account_disabled', 'This account has been deactivated.');
    if (!session || session.revoked) throw invalid();
    const now = this.clock();
    if (Date.parse(row.expiresAt) <= now.getTime()) throw invalid();

    const [tenant, user] = await Promise.all([
      this.storage.getTenant(row.tenantId),
      this.storage.getUser(row.tenantId, row.userId),
    ]);
    if (!tenant || !user) throw invalid();

    if (!row.usedAt) {
      const child = this.newRefreshToken(row.sessionId, now);
      const outcome = await this.storage.rotateRefreshToken(
        row.id,
        request.clientId,
        child,
        now.toISOString(),
      );
      if (outcome === 'rotated')
        return this.tokenResponse(tenant, user, row.sessionId, child.id, child.issuedAt);
      return this.refresh(request);
    }
    const withinGrace =
      row.usedByClient === request.clientId &&
      now.getTime() - Date.parse(row.usedAt) <= this.policy.refreshGraceSeconds * 1000 &&
      row.childId !== null &&
      row.childIssuedAt !== null &&
      row.childUsedAt === null;
    if (withinGrace)
      return this.tokenResponse(tenant, user, row.sessionId, row.childId!, row.childIssuedAt!);
    // A used token presented again: it may have been stolen, so the whole chain ends.
    await this.storage.revokeSession(row.sessionId, 'refresh_token_reuse', now.toISOString());
    throw invalid();
  }

  async logout(refreshToken: string): Promise<void> {
    const id = this.signer.refreshTokenId(refreshToken);
    const row = id ? await this.storage.getRefreshToken(id) : null;
    if (row) await this.storage.revokeSession(row.sessionId, 'logout', this.clock().toISOString());
  }

  /** The caller behind a bearer token, or the 401 that explains why there is none. */
  async authenticate(authorization: string | undefined): Promise<Viewer> {
    const match = /^Bearer ([A-Za-z0-9._~+/=-]+)$/.exec(authorization ?? '');
    if (!match) throw new ApiError('unauthorized', 'Missing or malformed bearer token.');
    const claims = this.signer.accessClaims(match[1]!);
    if (!claims) throw new ApiError('unauthorized', 'Invalid access token.');
    if (claims.exp * 1000 <= this.clock().getTime())
      throw new ApiError('unauthorized', 'Access token expired.');
    const session = await this.storage.getSessionAuth(claims.sid);
    if (session && !session.active)
      throw new ApiError('account_disabled', 'This account has been deactivated.');
    if (!session || session.revoked) throw new ApiError('unauthorized', 'The session has ended.');
    return {
      tenantId: session.tenantId,
      userId: session.userId,
      role: session.role,
      sessionId: session.sessionId,
      visibilityVersion: session.visibilityVersion,
      expiresAt: claims.exp * 1000,
    };
  }

  private newRefreshToken(sessionId: string, now: Date) {
    return {
      id: newTokenId(),
      sessionId,
      issuedAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + this.policy.refreshTokenDays * 86_400_000).toISOString(),
    };
  }

  /** The pair for a refresh token id; the same inputs always give the same pair. */
  private tokenResponse(
    tenant: TenantRow,
    user: UserRow,
    sessionId: string,
    refreshId: string,
    issuedAt: string,
  ): TokenResponse {
    const exp = Math.floor(Date.parse(issuedAt) / 1000) + this.policy.accessTokenSeconds;
    const expiresIn = Math.max(1, exp - Math.floor(this.clock().getTime() / 1000));
    return {
      accessToken: this.signer.accessToken({ sid: sessionId, rid: refreshId, exp }),
      expiresIn,
      refreshToken: this.signer.refreshToken(refreshId),
      user: { id: user.id, name: user.name, email: user.email, role: user.role },
      tenant: { id: tenant.id, slug: tenant.slug, name: tenant.name },
      epoch: tenant.epoch,
    };
  }
}
