import type { Company, Contact, Preferences, Profile, User } from '../domain/entities';
import {
  CreateContactArgs,
  SetCommunicationPreferencesArgs,
  UpdateCompanyArgs,
  UpdateProfileArgs,
} from './args';
import { mergeFields } from './merge-fields';
import { applied, reject, type EntityWrite, type MutatorDef } from './types';

export const createContact: MutatorDef<typeof CreateContactArgs> = {
  args: CreateContactArgs,
  reads: (args) => [{ entity: 'contact', id: args.id }],
  apply(rows, args, _base, ctx) {
    if (rows.get('contact', args.id))
      return reject('already_exists', 'a contact with this id exists');
    const contact: Contact = {
      id: args.id,
      name: args.name,
      email: args.email ?? null,
      phone: args.phone ?? null,
      createdAt: ctx.now,
      updatedAt: ctx.now,
    };
    return applied([{ entity: 'contact', id: contact.id, op: 'upsert', data: contact }]);
  },
};

/** Edits the signed-in user's own profile; the public `user` row follows a change of name. */
export const updateProfile: MutatorDef<typeof UpdateProfileArgs> = {
  args: UpdateProfileArgs,
  reads: (_args, ctx) => [
    { entity: 'profile', id: ctx.userId },
    { entity: 'user', id: ctx.userId },
  ],
  apply(rows, args, base, ctx) {
    const profile = rows.get('profile', ctx.userId);
    if (!profile) return reject('not_found', 'profile not found');
    const { next, changed, conflicts } = mergeFields(profile, args.fields, base);
    if (changed.length === 0) return applied([], conflicts);
    const writes: EntityWrite[] = [
      {
        entity: 'profile',
        id: profile.id,
        op: 'upsert',
        data: { ...next, updatedAt: ctx.now } satisfies Profile,
      },
    ];
    const user = rows.get('user', ctx.userId);
    if (user && changed.includes('name')) {
      writes.push({
        entity: 'user',
        id: user.id,
        op: 'upsert',
        data: { ...user, name: next.name } satisfies User,
      });
    }
    return applied(writes, conflicts);
  },
};

export const setCommunicationPreferences: MutatorDef<typeof SetCommunicationPreferencesArgs> = {
  args: SetCommunicationPreferencesArgs,
  reads: (_args, ctx) => [{ entity: 'preferences', id: ctx.userId }],
  apply(rows, args, base, ctx) {
    const current: Preferences = rows.get('preferences', ctx.userId) ?? {
      id: ctx.userId,
      newsletter: false,
      productUpdates: true,
      updatedAt: ctx.now,
    };
    const { next, changed, conflicts } = mergeFields(current, args, base);
    if (changed.length === 0) return applied([], conflicts);
    const data: Preferences = { ...next, updatedAt: ctx.now };
    return applied([{ entity: 'preferences', id: ctx.userId, op: 'upsert', data }], conflicts);
  },
};

export const updateCompany: MutatorDef<typeof UpdateCompanyArgs> = {
  args: UpdateCompanyArgs,
  adminOnly: true,
  reads: (_args, ctx) => [{ entity: 'company', id: ctx.tenantId }],
  apply(rows, args, base, ctx) {
    const company = rows.get('company', ctx.tenantId);
    if (!company) return reject('not_found', 'company not found');
    const { next, changed, conflicts } = mergeFields(company, args.fields, base);
    if (changed.length === 0) return applied([], conflicts);
    const data: Company = { ...next, updatedAt: ctx.now };
    return applied([{ entity: 'company', id: company.id, op: 'upsert', data }], conflicts);
  },
};
