import type { Role } from '../../src-shared/domain/enums';

/** Who is calling, as established from their access token on every request. */
export interface Viewer {
  tenantId: string;
  userId: string;
  role: Role;
  sessionId: string;
  visibilityVersion: number;
  /** When the access token expires (ms since the epoch); live streams end then. */
  expiresAt: number;
}
