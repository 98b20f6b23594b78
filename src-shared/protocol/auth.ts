import { z } from 'zod';
import { Role } from '../domain/enums';
import { LIMITS } from '../domain/entities';
import { Email, Phone, Uuid, Website, requiredText } from '../domain/primitives';

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 256;

export const Password = z
  .string()
  .min(PASSWORD_MIN, `must be at least ${PASSWORD_MIN} characters`)
  .max(PASSWORD_MAX);

/** Optional sign-up fields: omitted or empty means "not given". */
const optionalInput = <T extends z.ZodType<string>>(inner: T) =>
  z
    .union([z.literal(''), inner])
    .optional()
    .transform((value) => (value ? value : null));

export const TenantSummary = z.object({ id: Uuid, slug: z.string(), name: z.string() });
export type TenantSummary = z.infer<typeof TenantSummary>;

export const SessionUser = z.object({ id: Uuid, name: z.string(), email: z.string(), role: Role });
export type SessionUser = z.infer<typeof SessionUser>;

export const SignupRequest = z.strictObject({
  company: z.strictObject({
    name: requiredText(LIMITS.name),
    address: optionalInput(requiredText(LIMITS.address)),
    phone: optionalInput(Phone),
    website: optionalInput(Website),
  }),
  user: z.strictObject({
    name: requiredText(LIMITS.name),
    email: Email,
    password: Password,
    phone: optionalInput(Phone),
    title: optionalInput(requiredText(LIMITS.shortText)),
    department: optionalInput(requiredText(LIMITS.shortText)),
    fax: optionalInput(Phone),
  }),
  seats: z.number().int().min(1).max(100_000),
  newsletter: z.boolean().optional(),
});
export type SignupRequest = z.input<typeof SignupRequest>;
export type SignupInput = z.output<typeof SignupRequest>;

export const SignupResponse = z.object({
  tenant: TenantSummary,
  user: z.object({ id: Uuid, email: z.string(), role: z.literal('admin') }),
});
export type SignupResponse = z.infer<typeof SignupResponse>;

export const TenantSlug = z
  .string()
  .trim()
  .toLowerCase()
  .min(1)
  .max(63)
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'must be a tenant slug');

export const LoginRequest = z.strictObject({
  tenant: TenantSlug,
  email: Email,
  password: z.string().min(1).max(PASSWORD_MAX),
  clientId: Uuid.optional(),
});
export type LoginRequest = z.infer<typeof LoginRequest>;

export const TokenResponse = z.object({
  accessToken: z.string(),
  expiresIn: z.number().int().positive(),
  refreshToken: z.string(),
  user: SessionUser,
  tenant: TenantSummary,
  epoch: z.string(),
});
export type TokenResponse = z.infer<typeof TokenResponse>;

export const RefreshRequest = z.strictObject({
  refreshToken: z.string().min(1).max(512),
  clientId: Uuid,
});
export type RefreshRequest = z.infer<typeof RefreshRequest>;

/** First log-in of an invited user, or after an admin's reset: the setup token is used once. */
export const SetPasswordRequest = z.strictObject({
  tenant: TenantSlug,
  email: Email,
  setupToken: z.string().min(1).max(512),
  newPassword: Password,
});
export type SetPasswordRequest = z.infer<typeof SetPasswordRequest>;

export const LogoutRequest = z.strictObject({ refreshToken: z.string().min(1).max(512) });
export type LogoutRequest = z.infer<typeof LogoutRequest>;
