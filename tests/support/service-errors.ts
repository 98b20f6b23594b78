import { ServiceError } from '../../src-main/core/net/service-error';

/** The ServiceError a call rejects with; fails the test when it resolves or rejects otherwise. */
export async function serviceFailure(
  call: Promise<unknown> | (() => unknown),
): Promise<ServiceError> {
  let outcome: unknown;
  try {
    outcome = await (typeof call === 'function' ? call() : call);
  } catch (error) {
    if (error instanceof ServiceError) return error;
    throw new Error(`expected a ServiceError, got ${String(error)}`, { cause: error });
  }
  throw new Error(
    `expected a ServiceError, but the call succeeded with ${JSON.stringify(outcome)}`,
  );
}

/** How many requests the service has logged so far (fastify's "incoming request" lines). */
export function requestsLogged(logs: readonly string[]): number {
  return logs.filter((line) => line.includes('"incoming request"')).length;
}
