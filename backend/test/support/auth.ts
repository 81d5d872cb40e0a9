import { call } from './http';
import { TEST_ADMIN } from './test-app';

export interface LoggedIn {
  token: string;
  refreshToken: string;
  user: { id: string; email: string; role: string; workspaceId: string; isSuperAdmin: boolean };
}

export async function login(url: string, email: string, password: string): Promise<LoggedIn> {
  const res = await call(`${url}/api/v1/auth/login`, { body: { email, password } });
  if (res.status !== 200)
    throw new Error(`login of ${email} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { token: res.body.accessToken, refreshToken: res.body.refreshToken, user: res.body.user };
}

export function loginAdmin(url: string): Promise<LoggedIn> {
  return login(url, TEST_ADMIN.email, TEST_ADMIN.password);
}

let counter = 0;

/** The password `userWithRole` gives the users it creates. */
export function passwordForRole(role: 'admin' | 'manager' | 'viewer'): string {
  return `Password-for-${role}-1`;
}

/** Creates an API key with `role` in the workspace of `admin` (a logged-in admin). */
export async function apiKeyWithRole(
  url: string,
  admin: LoggedIn,
  role: 'admin' | 'manager' | 'viewer',
): Promise<{ id: string; key: string }> {
  const res = await call(`${url}/api/v1/api-keys`, {
    token: admin.token,
    body: { name: `${role} key ${++counter}`, role },
  });
  if (res.status !== 201)
    throw new Error(`creating a ${role} key failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: res.body.apiKey.id, key: res.body.key };
}

/** Creates a user with `role` in the admin's workspace and logs them in. */
export async function userWithRole(
  url: string,
  admin: LoggedIn,
  role: 'admin' | 'manager' | 'viewer',
): Promise<LoggedIn> {
  const email = `${role}-${Date.now()}-${++counter}@example.test`;
  const password = passwordForRole(role);
  const res = await call(`${url}/api/v1/users`, { token: admin.token, body: { email, password, role } });
  if (res.status !== 201)
    throw new Error(`creating ${role} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return login(url, email, password);
}

/** A second workspace (made by the super-admin) with its admin logged in. */
export async function secondWorkspace(
  url: string,
  superAdmin: LoggedIn,
  name = 'Second team',
): Promise<LoggedIn> {
  const email = `ws-admin-${Date.now()}-${++counter}@example.test`;
  const password = 'Second-admin-pass-1';
  const res = await call(`${url}/api/v1/workspaces`, {
    token: superAdmin.token,
    body: { name, adminEmail: email, adminPassword: password },
  });
  if (res.status !== 201)
    throw new Error(`creating a workspace failed: ${res.status} ${JSON.stringify(res.body)}`);
  return login(url, email, password);
}
