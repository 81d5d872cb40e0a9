import type { LooseJson } from '../amocrm/sandbox-test-kit';

/** Helpers for specs that talk to the LPTracker sandbox over real HTTP. */

export interface LpCallResult {
  status: number;
  headers: Headers;
  json: LooseJson;
}

/** Calls `<baseUrl><path>` with the `token` header and a JSON body; parses the JSON answer. */
export async function callLp(
  baseUrl: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown } = {},
): Promise<LpCallResult> {
  const headers: Record<string, string> = {};
  if (options.token) headers.token = options.token;
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  const json: unknown = text ? (JSON.parse(text) as unknown) : undefined;
  return { status: response.status, headers: response.headers, json };
}

/** Logs in and answers a client bound to the token (`api(method, path, body)`). */
export async function lpClient(
  baseUrl: string,
  credentials: { login: string; password: string },
  service = 'Интеграция amoCRM',
): Promise<{ token: string; api: (method: string, path: string, body?: unknown) => Promise<LpCallResult> }> {
  const login = await callLp(baseUrl, 'POST', '/login', {
    body: { login: credentials.login, password: credentials.password, service, version: '1.0' },
  });
  const answer = login.json as { result?: { token?: string } } | undefined;
  const token = answer?.result?.token;
  if (!token) throw new Error(`login failed: ${JSON.stringify(login.json)}`);
  return { token, api: (method, path, body) => callLp(baseUrl, method, path, { token, body }) };
}
