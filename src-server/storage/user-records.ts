import type { Preferences, Profile, User } from '../../src-shared/domain/entities';
import type { Role } from '../../src-shared/domain/enums';
import type { EntityRef, EntityWrite, RowReader } from '../../src-shared/mutators/types';
import type { NewUser } from './storage';

/**
 * The synced rows behind a user account, for both storages: what a new account writes, and what a
 * change of role, state or email rewrites.
 */

/** The user, profile and preferences rows of a new account; its preferences are logged too. */
export function newUserWrites(
  user: NewUser,
  now: string,
): { writes: EntityWrite[]; preferences: Preferences } {
  const publicUser: User = {
    id: user.id,
    name: user.name,
    email: user.email,
    role: user.role,
    active: true,
  };
  const profile: Profile = {
    id: user.id,
    name: user.name,
    email: user.email,
    role: user.role,
    phone: user.phone,
    title: user.title,
    department: user.department,
    fax: user.fax,
    updatedAt: now,
  };
  const preferences: Preferences = {
    id: user.id,
    newsletter: user.newsletter,
    productUpdates: user.productUpdates,
    updatedAt: now,
  };
  return {
    writes: [
      { entity: 'user', id: user.id, op: 'upsert', data: publicUser },
      { entity: 'profile', id: user.id, op: 'upsert', data: profile },
      { entity: 'preferences', id: user.id, op: 'upsert', data: preferences },
    ],
    preferences,
  };
}

export interface UserState {
  role: Role;
  active: boolean;
  email: string;
}

/** The user after `change`, and whether it takes an active admin away from the tenant. */
export function changedUser(
  current: UserState,
  change: Partial<UserState>,
): UserState & { losesAdmin: boolean } {
  const next = {
    role: change.role ?? current.role,
    active: change.active ?? current.active,
    email: change.email ?? current.email,
  };
  const losesAdmin =
    current.role === 'admin' && current.active && (next.role !== 'admin' || !next.active);
  return { ...next, losesAdmin };
}

/** The rows `userChangeWrites` reads. */
export function userRowRefs(userId: string): EntityRef[] {
  return [
    { entity: 'user', id: userId },
    { entity: 'profile', id: userId },
  ];
}

/** The user's `user` row, and their `profile` if its role or email changed, as `next` has them. */
export function userChangeWrites(
  rows: RowReader,
  userId: string,
  next: UserState,
  now: string,
): EntityWrite[] {
  const { role, active, email } = next;
  const user = rows.get('user', userId);
  const profile = rows.get('profile', userId);
  const writes: EntityWrite[] = [];
  if (user) {
    writes.push({
      entity: 'user',
      id: userId,
      op: 'upsert',
      data: { ...user, role, active, email },
    });
  }
  if (profile && (profile.role !== role || profile.email !== email)) {
    writes.push({
      entity: 'profile',
      id: userId,
      op: 'upsert',
      data: { ...profile, role, email, updatedAt: now },
    });
  }
  return writes;
}
