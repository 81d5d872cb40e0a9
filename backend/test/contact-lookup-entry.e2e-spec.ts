import { PinoLogger } from 'nestjs-pino';
import { symbols } from 'pino';
import { ContactLookupEntry } from '../src/bootstrap/contact-lookup-entry';
import { ContactsService } from '../src/contacts/contacts.service';
import { MetricsService } from '../src/health/metrics.service';
import { apiKeyWithRole, loginAdmin, secondWorkspace, type LoggedIn } from './support/auth';
import { call } from './support/http';
import { startTestApp, type TestApp } from './support/test-app';

interface Answer {
  status: number;
  headers: Record<string, string>;
  text: string;
  /** The request log line, without its times. */
  log: Record<string, unknown> | undefined;
  /** The HTTP metric recorded: method, route, status. */
  metric: unknown[] | undefined;
  lean: boolean;
}

/** Headers that differ between any two answers (when and how the connection goes on). */
const VOLATILE = new Set(['date', 'connection', 'keep-alive']);

/**
 * The lean lookup entry (src/bootstrap/contact-lookup-entry.ts) answers `GET /api/v1/contacts?phone=` with an API key
 * exactly as the Nest route does: every request is sent twice with the same X-Request-Id, once as the entry takes it
 * and once with an `If-None-Match` that matches nothing (which sends it through Express and Nest, with the same
 * answer), and the two answers — status, every header, body, request log line, HTTP metric — must be equal.
 */
describe('contact lookup entry: same answers as the Nest route', () => {
  let t: TestApp;
  let admin: LoggedIn;
  let viewer: { id: string; key: string };
  let otherKey: string;
  const handled = jest.spyOn(ContactLookupEntry.prototype, 'handle');
  const observed = jest.spyOn(MetricsService.prototype, 'observeHttp');
  const lines: string[] = [];
  let sequence = 0;

  beforeAll(async () => {
    t = await startTestApp({ env: { LOG_LEVEL: 'info' } });
    admin = await loginAdmin(t.url);
    viewer = await apiKeyWithRole(t.url, admin, 'viewer');
    otherKey = (await apiKeyWithRole(t.url, await secondWorkspace(t.url, admin), 'viewer')).key;
    const stream = (PinoLogger.root as unknown as Record<symbol, { write(line: string): boolean }>)[
      symbols.streamSym
    ];
    jest.spyOn(stream, 'write').mockImplementation((line: string) => lines.push(line) > 0);
    const contacts = t.app.get(ContactsService);
    for (const [amocrmId, phones] of [
      [8101, ['+79168200001', '+79168200002', '+79168200003']],
      [8102, ['+79168200004']],
    ] as const)
      await contacts.upsertMirrorRow(
        admin.user.workspaceId,
        {
          amocrmId,
          name: `Контакт ${amocrmId}`,
          phone: phones[0],
          email: null,
          phones: [...phones],
          emails: [],
          responsibleUserId: null,
          customFields: [],
          syncedAt: new Date(),
        },
        'amocrm',
      );
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await t.close();
  });

  /** One request as sent by `fetch`, with what it logged and measured. */
  async function send(path: string, headers: Record<string, string>): Promise<Answer> {
    handled.mockClear();
    observed.mockClear();
    lines.length = 0;
    const res = await fetch(`${t.url}${path}`, { headers });
    const text = await res.text();
    const answerHeaders: Record<string, string> = {};
    res.headers.forEach((value, name) => {
      if (!VOLATILE.has(name)) answerHeaders[name] = value;
    });
    const requestLine = lines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((line) => line.msg === 'request completed' || line.msg === 'request errored');
    if (requestLine) for (const key of ['time', 'responseTime']) delete requestLine[key];
    return {
      status: res.status,
      headers: answerHeaders,
      text,
      log: requestLine,
      metric: observed.mock.calls.at(-1)?.slice(0, 3),
      lean: handled.mock.results.some((result) => result.value === true),
    };
  }

  /** The same request through the entry and through Nest: equal answers; the entry served the first only. */
  async function both(path: string, headers: Record<string, string>): Promise<Answer> {
    const requestId = `parity-${(sequence += 1)}-${Date.now()}`;
    const lean = await send(path, { ...headers, 'x-request-id': requestId });
    const nest = await send(path, { ...headers, 'x-request-id': requestId, 'if-none-match': '"none"' });
    expect(lean.lean).toBe(true);
    expect(nest.lean).toBe(false);
    expect({ ...lean, lean: undefined }).toEqual({ ...nest, lean: undefined });
    return lean;
  }

  const lookup = (phone: string) => `/api/v1/contacts?phone=${encodeURIComponent(phone)}`;

  it('finds a contact by each of its phones, typed as people type them, with the same answer', async () => {
    for (const phone of ['+7 916 820-00-01', '8 916 820 00 02', '8(916)8200003']) {
      const answer = await both(lookup(phone), { 'x-api-key': viewer.key });
      expect(answer.status).toBe(200);
      const body = JSON.parse(answer.text);
      expect([body.total, body.items[0].phones]).toEqual([
        1,
        ['+79168200001', '+79168200002', '+79168200003'],
      ]);
      expect(answer.headers['cache-control']).toBe('no-store');
      expect(answer.metric).toEqual(['GET', '/api/v1/contacts', 200]);
      expect(answer.log?.req).toMatchObject({ method: 'GET', url: '/api/v1/contacts' });
    }
  });

  it('answers nobody found, a blank phone (the whole list) and another workspace the same way', async () => {
    expect(JSON.parse((await both(lookup('+79168209999'), { 'x-api-key': viewer.key })).text).total).toBe(0);
    expect(JSON.parse((await both('/api/v1/contacts?phone=', { 'x-api-key': viewer.key })).text).total).toBe(
      2,
    );
    expect(JSON.parse((await both(lookup('+79168200001'), { 'x-api-key': otherKey })).text).total).toBe(0);
  });

  it('refuses a bad phone (400), an unknown and a revoked key (401) with the same problems', async () => {
    for (const phone of ['abc', '+7 916', '12345678901234567890', '☎️', '%'])
      expect((await both(lookup(phone), { 'x-api-key': viewer.key })).status).toBe(400);
    expect((await both(lookup('+79168200001'), { 'x-api-key': 'not-a-key' })).status).toBe(401);
    const revoked = await apiKeyWithRole(t.url, admin, 'viewer');
    const gone = await call(`${t.url}/api/v1/api-keys/${revoked.id}`, {
      method: 'DELETE',
      token: admin.token,
    });
    expect(gone.status).toBe(204);
    const answer = await both(lookup('+79168200001'), { 'x-api-key': revoked.key });
    expect([answer.status, JSON.parse(answer.text).type]).toEqual([401, 'urn:problem-type:invalid-api-key']);
    expect(answer.log?.level).toBe(40);
  });

  it('answers a failure of ours as the global filter does (500 problem, logged)', async () => {
    const list = jest.spyOn(ContactsService.prototype, 'list');
    list.mockRejectedValue(new Error('the database went away'));
    try {
      const answer = await both(lookup('+79168200001'), { 'x-api-key': viewer.key });
      expect(answer.status).toBe(500);
      expect(answer.text).not.toContain('went away');
      expect(answer.log?.level).toBe(50);
    } finally {
      list.mockRestore();
    }
  });

  it('leaves every other shape to Express and Nest', async () => {
    const nest = async (path: string, headers: Record<string, string>, method = 'GET') => {
      handled.mockClear();
      const res = await fetch(`${t.url}${path}`, { method, headers });
      expect([path, method, handled.mock.results.some((result) => result.value === true)]).toEqual([
        path,
        method,
        false,
      ]);
      return res.status;
    };
    const key = { 'x-api-key': viewer.key };
    expect(await nest(`${lookup('+79168200001')}&page=1`, key)).toBe(200);
    expect(await nest(`${lookup('+79168200001')}&phone=1`, key)).toBe(400);
    expect(await nest(`/api/v1/contacts/?phone=%2B79168200001`, key)).toBe(200);
    expect(await nest(`/api/v1/contacts?phone[a]=1`, key)).toBe(400);
    expect(await nest(lookup('x'.repeat(41)), key)).toBe(400);
    expect(await nest(lookup('+79168200001'), key, 'HEAD')).toBe(200);
    expect(await nest(lookup('+79168200001'), { authorization: `Bearer ${admin.token}` })).toBe(200);
    expect(await nest(lookup('+79168200001'), { ...key, authorization: `Bearer ${admin.token}` })).toBe(400);
    expect(await nest(lookup('+79168200001'), {})).toBe(401);
  });
});
