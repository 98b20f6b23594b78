import { randomUUID } from 'node:crypto';
import type { User } from '../../src-shared/domain/entities';
import type {
  CreateUserRequest,
  StatsResponse,
  UpdateUserRequest,
} from '../../src-shared/protocol/admin';
import { assertStrongPassword, unusablePasswordHash } from '../auth/password-rules';
import { hashPassword } from '../auth/passwords';
import { AlreadyExistsError, LastAdminError, type Storage, type UserRow } from '../storage/storage';
import { ApiError } from './api-error';
import { usageStats } from './usage-stats';
import type { Viewer } from './viewer';

function requireAdmin(viewer: Viewer): void {
  if (viewer.role !== 'admin') throw new ApiError('forbidden', 'Only admins may do this.');
}

export function publicUser(user: UserRow): User {
  return { id: user.id, name: user.name, email: user.email, role: user.role, active: user.active };
}

export class AdminService {
  constructor(
    private readonly storage: Storage,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async createUser(viewer: Viewer, request: CreateUserRequest): Promise<User> {
    requireAdmin(viewer);
    if (request.password !== undefined) {
      const tenant = await this.storage.getTenant(viewer.tenantId);
      assertStrongPassword(request.password, { email: request.email, tenantSlug: tenant?.slug });
    }
    try {
      const user = await this.storage.createUser(
        viewer.tenantId,
        {
          id: randomUUID(),
          name: request.name,
          email: request.email,
          passwordHash: request.password
            ? await hashPassword(request.password)
            : await unusablePasswordHash(),
          role: request.role,
          phone: null,
          title: null,
          department: null,
          fax: null,
          newsletter: false,
          productUpdates: true,
        },
        this.clock().toISOString(),
      );
      return publicUser(user);
    } catch (error) {
      if (error instanceof AlreadyExistsError) {
        throw new ApiError('already_exists', 'A user with this email exists in this tenant.');
      }
      throw error;
    }
  }

  async updateUser(viewer: Viewer, userId: string, request: UpdateUserRequest): Promise<User> {
    requireAdmin(viewer);
    let updated: UserRow | null;
    try {
      // The storage checks that an active admin remains, in the update's own transaction.
      updated = await this.storage.updateUser(
        viewer.tenantId,
        userId,
        request,
        this.clock().toISOString(),
      );
    } catch (error) {
      if (error instanceof LastAdminError) throw new ApiError('bad_request', error.message);
      throw error;
    }
    if (!updated) throw new ApiError('not_found', 'No such user.');
    return publicUser(updated);
  }

  /** The tenant's aggregate statistics; see usageStats for what is left out. */
  async stats(viewer: Viewer, days: number): Promise<StatsResponse> {
    requireAdmin(viewer);
    return usageStats(this.storage, viewer.tenantId, days, this.clock());
  }
}
