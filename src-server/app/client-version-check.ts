import type { FastifyRequest } from 'fastify';
import {
  CLIENT_VERSION_HEADER,
  ClientVersion,
  compareVersions,
} from '../../src-shared/protocol/client-version';
import { UPDATES_PREFIX } from '../routes/update-routes';
import { ApiError } from './api-error';

/**
 * Paths any client may reach whatever its version: health checks, the operators' tool, and the
 * update feed (an app too old for the service gets its update there).
 */
const EXEMPT = ['/api/v1/health', '/api/v1/operator/', `${UPDATES_PREFIX}/`];

/**
 * The `onRequest` check of `X-Client-Version`. A malformed version is a bad request; with a
 * minimum configured, a version below it (or none: clients from before the header) answers
 * 426 `upgrade_required` with `minVersion`, before anything else is read or authenticated.
 */
export function clientVersionCheck(minVersion: string | null) {
  if (minVersion !== null) ClientVersion.parse(minVersion);
  return async (request: FastifyRequest): Promise<void> => {
    const path = request.url.split('?')[0]!;
    if (EXEMPT.some((prefix) => path === prefix || path.startsWith(prefix))) return;
    const header = request.headers[CLIENT_VERSION_HEADER];
    const sent = Array.isArray(header) ? header[0] : header;
    if (sent !== undefined && !ClientVersion.safeParse(sent).success) {
      throw new ApiError('bad_request', 'X-Client-Version must be a semantic version.', {
        details: [
          { path: 'X-Client-Version', message: 'must be a semantic version such as 1.4.0' },
        ],
      });
    }
    if (minVersion === null) return;
    if (sent === undefined || compareVersions(sent, minVersion) < 0) {
      throw new ApiError(
        'upgrade_required',
        `This version of the app is too old for the service; version ${minVersion} or later is required.`,
        { minVersion },
      );
    }
  };
}
