import { z } from 'zod';
import { LoginEvent } from '../domain/entities';

export const LoginHistoryQuery = z.strictObject({
  /** `me`: the caller's own log-ins; `tenant`: everyone's in the tenant (admins only). */
  scope: z.enum(['me', 'tenant']).default('me'),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
export type LoginHistoryQuery = z.infer<typeof LoginHistoryQuery>;

export const LoginHistoryResponse = z.object({ events: z.array(LoginEvent) });
export type LoginHistoryResponse = z.infer<typeof LoginHistoryResponse>;
