import { randomUUID } from 'node:crypto';
import type { User } from '../../src-shared/domain/entities';
import {
  STATS_MIN_BUCKET,
  type CreateUserRequest,
  type StatsResponse,
  type UpdateUserRequest,
} from '../../src-shared/protocol/admin';
import { hashPassword } from '../auth/passwords';
import { AlreadyExistsError, type Storage, type UserRow } from '../storage/storage';
import { ApiError } from './api-error';
import type { Viewer } from './viewer';

function requireAdmin(viewer: Viewer): void {
  if (viewer.role !== 'admin') throw new ApiError('forbidden', 'Only admins may do this.');
}

function publicUser(user: UserRow): User {
  return { id: user.id, name: user.name, email: user.email, role: user.role, active: user.active };
}

export class AdminService {
  constructor(
    private readonly storage: Storage,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async createUser(viewer: Viewer, request: CreateUserRequest): Promise<User> {
    requireAdmin(viewer);
    try {
      const user = await this.storage.createUser(
        viewer.tenantId,
        {
          id: randomUUID(),
          name: request.name,
          email: request.email,
          passwordHash: await hashPassword(request.password),
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
    const user = await this.storage.getUser(viewer.tenantId, userId);
    if (!user) throw new ApiError('not_found', 'No such user.');
    const losesAdmin =
      user.role === 'admin' &&
      user.active &&
      (request.role === 'agent' || request.active === false);
    if (losesAdmin && (await this.storage.countActiveAdmins(viewer.tenantId)) <= 1) {
      throw new ApiError('bad_request', 'A tenant needs at least one active admin.');
    }
    const updated = await this.storage.updateUser(
      viewer.tenantId,
      userId,
      request,
      this.clock().toISOString(),
    );
    if (!updated) throw new ApiError('not_found', 'No such user.');
    return publicUser(updated);
  }

  /**
   * Volumes by status and by day. A bucket whose tickets come from fewer than STATS_MIN_BUCKET
   * requesters could describe a person, so it is left out and only counted as suppressed.
   */
  async stats(viewer: Viewer, days: number): Promise<StatsResponse> {
    requireAdmin(viewer);
    const now = this.clock();
    const since = new Date(now.getTime() - days * 86_400_000);
    const { byDay, byStatus } = await this.storage.ticketStats(
      viewer.tenantId,
      since.toISOString().slice(0, 10),
    );
    const large = <T extends { requesters: number }>(row: T) => row.requesters >= STATS_MIN_BUCKET;
    const active = await this.storage.countActiveUsers(viewer.tenantId, since.toISOString());
    return {
      generatedAt: now.toISOString(),
      minBucketSize: STATS_MIN_BUCKET,
      days,
      ticketsByStatus: byStatus.filter(large).map(({ status, tickets }) => ({ status, tickets })),
      ticketsByDay: byDay
        .filter(large)
        .map(({ day, status, tickets }) => ({ day, status, tickets })),
      suppressedBuckets:
        byStatus.length + byDay.length - byStatus.filter(large).length - byDay.filter(large).length,
      activeUsers: active >= STATS_MIN_BUCKET ? active : null,
    };
  }
}
