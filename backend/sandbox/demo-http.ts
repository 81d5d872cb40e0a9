/**
 * The REST calls the `npm start` demo makes to the service, as an admin would from the console: one answer type,
 * problems turned into one readable line, and a login helper. Used by `demo.ts` (amoCRM) and
 * `demo-lptracker.ts` (LPTracker).
 */

export interface AdminLogin {
  email: string;
  password: string;
}

/** What a demo's `connect()` did, one line per step, worded for the person who ran `npm start`. */
export interface DemoConnectResult {
  connected: boolean;
  lines: string[];
}

export interface Answer {
  ok: boolean;
  body: unknown;
  /** Why it failed, for a log line: the problem's detail and field messages, or the network error. */
  reason: string;
}

export function notConnected(line: string): DemoConnectResult {
  return { connected: false, lines: [line] };
}

/** `{serviceUrl}/api/v1` without a doubled slash. */
export function apiBase(serviceUrl: string): string {
  return `${serviceUrl.replace(/\/+$/, '')}/api/v1`;
}

/** Logs in as the admin: the access token, or null with the reason. */
export async function adminToken(
  api: string,
  admin: AdminLogin,
): Promise<{ token: string | null; reason: string }> {
  const login = await request(`${api}/auth/login`, 'POST', null, admin);
  const token = login.ok ? stringField(login.body, 'accessToken') : null;
  return { token, reason: token ? '' : login.reason || 'no access token in the answer' };
}

export async function request(
  url: string,
  method: string,
  token: string | null,
  body?: unknown,
): Promise<Answer> {
  try {
    const res = await fetch(url, {
      method,
      headers: {
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    const parsed: unknown = text ? JSON.parse(text) : null;
    return { ok: res.ok, body: parsed, reason: res.ok ? '' : describeProblem(res.status, parsed) };
  } catch (error) {
    return { ok: false, body: null, reason: error instanceof Error ? error.message : String(error) };
  }
}

function describeProblem(status: number, body: unknown): string {
  const detail = stringField(body, 'detail') ?? stringField(body, 'title') ?? `HTTP ${status}`;
  const errors = isRecord(body) && Array.isArray(body.errors) ? body.errors : [];
  const fields = errors.flatMap((entry) => {
    const message = stringField(entry, 'message');
    return message ? [`${stringField(entry, 'field') ?? 'body'}: ${message}`] : [];
  });
  return fields.length > 0 ? `${detail} (${fields.join('; ')})` : detail;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

export function stringField(value: unknown, key: string): string | null {
  const field = isRecord(value) ? value[key] : undefined;
  return typeof field === 'string' && field !== '' ? field : null;
}
