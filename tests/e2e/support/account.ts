import { TENANT, type HostedService } from './hosted-service';

/**
 * What the service holds about a user, as its own "export my data" gives it (a fresh log-in of
 * theirs through the API, not the app's).
 */
export async function accountExport(
  service: HostedService,
  email: string,
  password: string,
): Promise<any> {
  const { accessToken } = await service.api.login(TENANT, email, password);
  const response = await service.api.call('GET', '/api/v1/account/export', { token: accessToken });
  if (response.status !== 200)
    throw new Error(`export failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

/** The status of a log-in through the API: 200, or 401 for a wrong password. */
export async function logInStatus(
  service: HostedService,
  email: string,
  password: string,
): Promise<number> {
  const response = await service.api.call('POST', '/api/v1/auth/login', {
    body: { tenant: TENANT, email, password },
  });
  return response.status;
}
