import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { User } from '../../src-shared/domain/entities';
import type {
  ChangeEmailRequest,
  ChangeEmailResponse,
  ChangePasswordRequest,
} from '../../src-shared/protocol/account';
import type { PasswordSetupToken } from '../../src-shared/protocol/admin';
import type { SetPasswordRequest } from '../../src-shared/protocol/auth';
import { publicUser } from '../app/admin-service';
import { ApiError } from '../app/api-error';
import type { Viewer } from '../app/viewer';
import { AlreadyExistsError, type Storage, type TenantRow, type UserRow } from '../storage/storage';
import { rateLimitError, type AuthPolicy, type RequestMeta } from './auth-service';
import { assertStrongPassword, unusablePasswordHash } from './password-rules';
import { hashPassword, verifyPassword } from './passwords';

/** How long an admin's setup token stays valid: long enough to hand it over across a weekend. */
export const SETUP_TOKEN_HOURS = 72;

function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export class PasswordService {
  constructor(
    private readonly storage: Storage,
    private readonly policy: Pick<
      AuthPolicy,
      'failureWindowSeconds' | 'maxFailuresPerAccount' | 'maxFailuresPerIp'
    >,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** The caller changes their own password; their other sessions end, this one goes on. */
  async change(viewer: Viewer, request: ChangePasswordRequest, meta: RequestMeta): Promise<void> {
    const { tenant, user, now } = await this.checkCurrentPassword(
      viewer,
      request.currentPassword,
      meta,
    );
    assertStrongPassword(request.newPassword, { email: user.email, tenantSlug: tenant.slug });
    await this.storage.changePassword(
      viewer.tenantId,
      viewer.userId,
      await hashPassword(request.newPassword),
      viewer.sessionId,
      now.toISOString(),
    );
  }

  /**
   * The caller changes the email they log in with. Their sessions go on; every replica learns the
   * new email from the `user` and `profile` rows. The same address again is a bad request.
   */
  async changeEmail(
    viewer: Viewer,
    request: ChangeEmailRequest,
    meta: RequestMeta,
  ): Promise<ChangeEmailResponse> {
    const { user, now } = await this.checkCurrentPassword(viewer, request.currentPassword, meta);
    if (request.newEmail === user.email) {
      throw new ApiError('bad_request', 'This is already your email address.', {
        details: [{ path: 'newEmail', message: 'same as the current email' }],
      });
    }
    let updated: UserRow | null;
    try {
      updated = await this.storage.updateUser(
        viewer.tenantId,
        viewer.userId,
        { email: request.newEmail },
        now.toISOString(),
      );
    } catch (error) {
      if (error instanceof AlreadyExistsError) {
        throw new ApiError('already_exists', 'Another user of this tenant has this email address.');
      }
      throw error;
    }
    if (!updated) throw new ApiError('unauthorized', 'The session has ended.');
    const { id, name, email, role } = updated;
    return { user: { id, name, email, role } };
  }

  /**
   * Guessing the current password is guessing a log-in: the same counters and limits, and a wrong
   * one is recorded as a failed log-in (`wrong_current_password`).
   */
  private async checkCurrentPassword(
    viewer: Viewer,
    currentPassword: string,
    meta: RequestMeta,
  ): Promise<{ tenant: TenantRow; user: UserRow; now: Date }> {
    const [tenant, user] = await Promise.all([
      this.storage.getTenant(viewer.tenantId),
      this.storage.getUser(viewer.tenantId, viewer.userId),
    ]);
    if (!tenant || !user) throw new ApiError('unauthorized', 'The session has ended.');
    const now = this.clock();
    const since = new Date(now.getTime() - this.policy.failureWindowSeconds * 1000).toISOString();
    const [account, ip] = await Promise.all([
      this.storage.failuresForAccount(tenant.slug, user.email, since),
      this.storage.failuresForIp(meta.ip, since),
    ]);
    const limited = rateLimitError(
      this.policy,
      now,
      account,
      ip,
      'Too many wrong passwords. Try again later.',
    );
    if (limited) throw limited;
    if (!(await verifyPassword(currentPassword, user.passwordHash))) {
      await this.storage.recordLoginEvent({
        id: randomUUID(),
        at: now.toISOString(),
        tenantId: tenant.id,
        tenantSlug: tenant.slug,
        email: user.email,
        userId: user.id,
        ip: meta.ip,
        userAgent: meta.userAgent?.slice(0, 300) ?? null,
        clientId: null,
        success: false,
        reason: 'wrong_current_password',
      });
      throw new ApiError('wrong_password', 'The current password is not correct.');
    }
    return { tenant, user, now };
  }

  /**
   * Puts the user in "must set password": the old password stops working, every session ends and
   * a new one-time setup token is returned once, for the admin to hand over.
   */
  async requireSetup(tenantId: string, userId: string): Promise<PasswordSetupToken> {
    const now = this.clock();
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(now.getTime() + SETUP_TOKEN_HOURS * 3_600_000).toISOString();
    await this.storage.requirePasswordSetup(tenantId, userId, await unusablePasswordHash(), {
      tokenHash: tokenHash(token),
      createdAt: now.toISOString(),
      expiresAt,
    });
    return { setupToken: token, expiresAt };
  }

  /** An admin resets the password of a user of their tenant. */
  async reset(viewer: Viewer, userId: string): Promise<{ user: User; setup: PasswordSetupToken }> {
    if (viewer.role !== 'admin') throw new ApiError('forbidden', 'Only admins may do this.');
    const user = await this.storage.getUser(viewer.tenantId, userId);
    if (!user) throw new ApiError('not_found', 'No such user.');
    const setup = await this.requireSetup(viewer.tenantId, userId);
    return { user: publicUser(user), setup };
  }

  /** The user sets their password with the setup token; the token works once. */
  async set(request: SetPasswordRequest): Promise<void> {
    const invalid = () =>
      new ApiError(
        'setup_token_invalid',
        'This setup token is not valid (wrong, or already used). Ask an admin for a new one.',
      );
    const tenant = await this.storage.getTenantBySlug(request.tenant);
    const user = tenant ? await this.storage.findUserByEmail(tenant.id, request.email) : null;
    const setup = user ? await this.storage.getPasswordSetup(user.tenantId, user.id) : null;
    const given = tokenHash(request.setupToken);
    if (!tenant || !user || !setup || !sameHash(given, setup.tokenHash)) throw invalid();
    if (Date.parse(setup.expiresAt) <= this.clock().getTime()) {
      throw new ApiError(
        'setup_token_expired',
        'This setup token has expired. Ask an admin for a new one.',
      );
    }
    if (!user.active) {
      throw new ApiError(
        'account_disabled',
        'This account has been deactivated by an administrator.',
      );
    }
    assertStrongPassword(request.newPassword, { email: user.email, tenantSlug: tenant.slug });
    const done = await this.storage.completePasswordSetup(
      user.tenantId,
      user.id,
      setup.tokenHash,
      await hashPassword(request.newPassword),
    );
    if (!done) throw invalid();
  }
}
