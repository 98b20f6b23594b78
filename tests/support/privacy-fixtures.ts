import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { ApiClient } from './api-client';

const root = resolve(__dirname, '../..');
const tsx = join(root, 'node_modules/.bin/tsx');
const run = promisify(execFile);

export interface Account {
  email: string;
  password: string;
  userId: string;
}

export interface SignedUpTenant {
  tenantId: string;
  slug: string;
  admin: Account;
  agents: Account[];
}

/** A fresh tenant through the real sign-up, with `agents` more users added by its admin. */
export async function signUpTenant(
  api: ApiClient,
  label: string,
  agents = 0,
  signup: { newsletter?: boolean } = {},
): Promise<SignedUpTenant> {
  const tag = randomUUID().slice(0, 8);
  const domain = `${label}-${tag}.test`;
  const admin = { email: `admin@${domain}`, password: `pw-${randomUUID()}` };
  const created = await api.call('POST', '/api/v1/auth/signup', {
    body: {
      company: { name: `${label} ${tag}` },
      user: { name: `Admin of ${label}`, ...admin },
      seats: 10,
      ...signup,
    },
  });
  if (created.status !== 201) throw new Error(`sign-up failed: ${JSON.stringify(created.body)}`);
  const { tenant, user } = created.body as {
    tenant: { id: string; slug: string };
    user: { id: string };
  };
  const token = (await api.login(tenant.slug, admin.email, admin.password)).accessToken;
  const added: Account[] = [];
  for (let i = 1; i <= agents; i++) {
    const agent = { email: `agent${i}@${domain}`, password: `pw-${randomUUID()}` };
    const response = await api.call('POST', '/api/v1/admin/users', {
      token,
      body: { name: `Agent ${i} of ${label}`, role: 'agent', ...agent },
    });
    if (response.status !== 201) throw new Error(`invite failed: ${JSON.stringify(response.body)}`);
    added.push({ ...agent, userId: (response.body as { user: { id: string } }).user.id });
  }
  return {
    tenantId: tenant.id,
    slug: tenant.slug,
    admin: { ...admin, userId: user.id },
    agents: added,
  };
}

/** Runs one of the service's command-line tools, as an operator would, and returns its stdout. */
export async function runServerCli(
  script: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<string> {
  const { stdout } = await run(tsx, [`src-server/cli/${script}`, ...args], {
    cwd: root,
    env: { ...process.env, ...env },
  });
  return stdout;
}
