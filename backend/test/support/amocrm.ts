import { DataSource } from 'typeorm';
import type { AmoSandbox } from '../../sandbox/amocrm';
import type { AmoAccountCredentials } from '../../sandbox/amocrm';
import { AmocrmClient } from '../../src/amocrm/client/amocrm-client';
import type { AmocrmAccountApi } from '../../src/amocrm/client/amocrm-account-api';
import type { AmocrmLane } from '../../src/amocrm/client/amocrm-rate-limiter';
import { call } from './http';
import type { LoggedIn } from './auth';
import { startTestApp, type TestApp, type TestAppOptions } from './test-app';

/** A test app whose amoCRM base-URL template points at the sandbox. Fast limits unless `env` says otherwise. */
export function startAmocrmTestApp(sandbox: AmoSandbox, options: TestAppOptions = {}): Promise<TestApp> {
  return startTestApp({
    ...options,
    env: { AMOCRM_BASE_URL_TEMPLATE: sandbox.baseUrlTemplate, AMOCRM_RPS: '50', ...options.env },
  });
}

/** The amoCRM client of a workspace, as other modules use it. */
export function amocrmApi(
  t: TestApp,
  workspaceId: string,
  lane: AmocrmLane = 'interactive',
): AmocrmAccountApi {
  return t.app.get(AmocrmClient).forWorkspace(workspaceId, lane);
}

/** Connects the admin's workspace with the account's long-lived token through the API. */
export async function connectLongLived(
  t: TestApp,
  admin: LoggedIn,
  account: AmoAccountCredentials,
): Promise<void> {
  const res = await call(`${t.url}/api/v1/connections/amocrm`, {
    method: 'PUT',
    token: admin.token,
    body: { subdomain: account.subdomain, longLivedToken: account.longLivedToken },
  });
  if (res.status !== 200)
    throw new Error(`long-lived connect failed: ${res.status} ${JSON.stringify(res.body)}`);
}

/**
 * The whole OAuth flow as a browser would do it: save the client, get the consent URL, let the sandbox's consent
 * page redirect to the callback, follow the callback's redirect. Answers where the console was sent.
 */
export async function connectOAuth(
  t: TestApp,
  admin: LoggedIn,
  account: AmoAccountCredentials,
): Promise<URL> {
  const saved = await call(`${t.url}/api/v1/connections/amocrm`, {
    method: 'PUT',
    token: admin.token,
    body: {
      subdomain: `${account.subdomain}.amocrm.ru`,
      clientId: account.clientId,
      clientSecret: account.clientSecret,
    },
  });
  if (saved.status !== 200)
    throw new Error(`saving the OAuth client failed: ${saved.status} ${JSON.stringify(saved.body)}`);
  const authorize = await call(`${t.url}/api/v1/connections/amocrm/authorize-url`, { token: admin.token });
  if (authorize.status !== 200)
    throw new Error(`authorize-url failed: ${authorize.status} ${JSON.stringify(authorize.body)}`);
  return followConsent(authorize.body.url);
}

/** Opens the consent URL (the sandbox answers 302 to the callback) and the callback (302 to the console). */
export async function followConsent(consentUrl: string): Promise<URL> {
  const consent = await fetch(consentUrl, { redirect: 'manual' });
  const callback = consent.headers.get('location');
  if (consent.status !== 302 || !callback) throw new Error(`the consent page answered ${consent.status}`);
  const done = await fetch(callback, { redirect: 'manual' });
  const location = done.headers.get('location');
  if (done.status !== 302 || !location)
    throw new Error(`the callback answered ${done.status}: ${await done.text()}`);
  return new URL(location);
}

/** Runs SQL against the app's database (to age tokens in tests). */
export function appQuery(t: TestApp, sql: string, parameters: unknown[] = []): Promise<any> {
  return t.app.get(DataSource).query(sql, parameters);
}

/** Calls `run` and answers the error it threw (fails when it did not throw). */
export async function thrown(run: () => Promise<unknown>): Promise<any> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}
