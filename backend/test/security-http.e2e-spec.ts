import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { createHttpApp } from '../src/bootstrap/create-http-app';
import { AppConfig } from '../src/config/app-config';
import { loadConfig } from '../src/config/load-config';
import { migrateDatabase } from '../src/database/migrate';
import { CONTENT_SECURITY_POLICY } from '../src/http/security-headers';
import { loginAdmin, type LoggedIn } from './support/auth';
import { call, type JsonResponse } from './support/http';
import { TEST_ADMIN, startTestApp, testEnv, type TestApp } from './support/test-app';
import { dropTestDatabase } from './support/test-database';

const METRICS_TOKEN = 'metrics-token-for-the-security-test-0123456789';
const ASSET = 'main-ABCD1234.js';

/** A test app that serves a small stand-in console build from a temporary folder. */
async function startWithConsole(env: Record<string, string>): Promise<TestApp & { consoleDir: string }> {
  const consoleDir = mkdtempSync(join(tmpdir(), 'console-'));
  writeFileSync(
    join(consoleDir, 'index.html'),
    `<!doctype html><html><body><script src="${ASSET}"></script></body></html>`,
  );
  writeFileSync(join(consoleDir, ASSET), 'console.log("console");');
  const prepared = await testEnv({ env: { ...env, SERVE_CONSOLE: 'true' } });
  const config = new AppConfig({ ...loadConfig(prepared.env), consoleDir });
  await migrateDatabase(config.db);
  const app: NestExpressApplication = await createHttpApp(config);
  await app.listen(config.port, '127.0.0.1');
  return {
    app,
    config,
    consoleDir,
    url: `http://127.0.0.1:${config.port}`,
    async close() {
      await app.close();
      await dropTestDatabase(prepared.db);
      rmSync(consoleDir, { recursive: true, force: true });
    },
  };
}

function nestedJson(levels: number): string {
  return '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);
}

function expectSecurityHeaders(res: { headers: Headers }, where: string): void {
  const headers = Object.fromEntries(
    ['content-security-policy', 'x-content-type-options', 'x-frame-options', 'referrer-policy'].map(
      (name) => [name, res.headers.get(name)],
    ),
  );
  expect([where, headers]).toEqual([
    where,
    {
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': 'same-origin',
    },
  ]);
}

function expectBadRequestProblem(res: JsonResponse, where: string): void {
  expect([where, res.status]).toEqual([where, 400]);
  expect([where, res.headers.get('content-type')]).toEqual([
    where,
    expect.stringContaining('application/problem+json'),
  ]);
}

describe('security of the HTTP edge (Node serving directly)', () => {
  let t: TestApp & { consoleDir: string };
  let admin: LoggedIn;

  beforeAll(async () => {
    t = await startWithConsole({ METRICS_TOKEN });
    admin = await loginAdmin(t.url);
  });
  afterAll(async () => {
    await t?.close();
  });

  describe('bodies too deep or too wide', () => {
    it('answers a JSON body nested 5,000 levels on login with 400 problem+json, no stack, and stays healthy', async () => {
      for (let i = 0; i < 3; i++) {
        const res = await call(`${t.url}/api/v1/auth/login`, { body: nestedJson(5_000) });
        expectBadRequestProblem(res, 'deep JSON');
        expect(res.body).toMatchObject({ type: 'urn:problem-type:body-too-complex', status: 400 });
        expect(res.body.detail).toContain('nested deeper than');
        expect(JSON.stringify(res.body)).not.toMatch(/RangeError|stack|\bat \w+ \(/);
      }
      // an array inside an otherwise valid login body is refused the same way
      const deepArray = `{"email":"a@b.c","password":${'['.repeat(5_000)}${']'.repeat(5_000)}}`;
      expectBadRequestProblem(await call(`${t.url}/api/v1/auth/login`, { body: deepArray }), 'deep array');
      // the process is alive and logs in as before
      expect((await call(`${t.url}/health/live`)).status).toBe(200);
      expect((await loginAdmin(t.url)).token).toEqual(expect.any(String));
    });

    it('refuses deep JSON on an authenticated route too, before validation', async () => {
      const res = await call(`${t.url}/api/v1/contacts`, { body: nestedJson(5_000), token: admin.token });
      expectBadRequestProblem(res, 'deep JSON on contacts');
      expect(res.body.type).toBe('urn:problem-type:body-too-complex');
    });

    it('refuses a JSON object with thousands of keys with 400', async () => {
      const wide = Object.fromEntries(Array.from({ length: 5_000 }, (_, i) => [`k${i}`, i]));
      const res = await call(`${t.url}/api/v1/auth/login`, { body: { email: 'a@b.c', password: 'x', wide } });
      expectBadRequestProblem(res, 'wide JSON');
      expect(res.body.detail).toContain('more than 1000 entries');
    });

    it('answers a deeply nested urlencoded body with 400, never 500', async () => {
      const key = `email${'[a]'.repeat(5_000)}`;
      const res = await call(`${t.url}/api/v1/auth/login`, {
        body: `${encodeURIComponent(key)}=x&password=y`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expectBadRequestProblem(res, 'deep urlencoded');
      expect((await call(`${t.url}/health/live`)).status).toBe(200);
    });
  });

  describe('paging and numbers in query strings', () => {
    const lists = ['/api/v1/audit', '/api/v1/events', '/api/v1/contacts', '/api/v1/leads'];
    const bad: Array<[string, string]> = [
      ['page', '1e308'],
      ['limit', '1e308'],
      ['page', '-1'],
      ['page', '0'],
      ['page', '1.5'],
      ['page', 'abc'],
      ['page', ''],
      ['page', '0x10'],
      ['limit', '100000'],
      ['limit', '0'],
      ['page', '99999999999999999999'],
    ];

    it('answers every bad page or limit on every list with 400 naming the parameter', async () => {
      for (const list of lists) {
        for (const [name, value] of bad) {
          const where = `${list}?${name}=${value}`;
          const res = await call(`${t.url}${list}?${name}=${encodeURIComponent(value)}`, {
            token: admin.token,
          });
          expectBadRequestProblem(res, where);
          expect([where, res.body.errors?.[0]?.field]).toEqual([where, name]);
        }
      }
    });

    it('still pages with good values', async () => {
      for (const list of lists) {
        const res = await call(`${t.url}${list}?page=1000000&limit=100`, { token: admin.token });
        expect([list, res.status, res.body.page, res.body.limit]).toEqual([list, 200, 1_000_000, 100]);
      }
    });

    it('refuses huge or non-integer lead status and pipeline ids in the query', async () => {
      for (const query of [
        'statusId=1e308',
        'pipelineId=1e308',
        'statusId=99999999999999999',
        'pipelineId=NaN',
      ]) {
        const res = await call(`${t.url}/api/v1/leads?${query}`, { token: admin.token });
        expectBadRequestProblem(res, query);
      }
    });

    it('never answers 500 to dates far outside what the database keeps', async () => {
      for (const list of ['/api/v1/audit', '/api/v1/events']) {
        for (const date of [
          '+200000-01-01T00:00:00Z',
          '-000001-01-01T00:00:00Z',
          '0000-01-01',
          '9999-12-31T23:59:59Z',
        ]) {
          const where = `${list}?from=${date}`;
          const res = await call(
            `${t.url}${list}?from=${encodeURIComponent(date)}&to=${encodeURIComponent(date)}`,
            {
              token: admin.token,
            },
          );
          expect([where, res.status < 500]).toEqual([where, true]);
        }
      }
    });

    it('the users list takes no paging and is not disturbed by it', async () => {
      const res = await call(`${t.url}/api/v1/users?page=1e308&limit=1e308`, { token: admin.token });
      expect(res.status).toBe(200);
      expect(res.body).toEqual(
        expect.arrayContaining([expect.objectContaining({ email: TEST_ADMIN.email })]),
      );
    });
  });

  describe('headers', () => {
    it('sends the security headers on API answers, errors, index.html, client routes and assets', async () => {
      expectSecurityHeaders(await call(`${t.url}/api/v1/auth/me`, { token: admin.token }), 'api 200');
      expectSecurityHeaders(await call(`${t.url}/api/v1/auth/me`), 'api 401');
      expectSecurityHeaders(
        await call(`${t.url}/api/v1/auth/login`, { body: '{"email"' }),
        'body-parser 400',
      );
      const index = await fetch(`${t.url}/`, { headers: { accept: 'text/html' } });
      expect(await index.text()).toContain('<script');
      expectSecurityHeaders(index, 'index.html');
      expectSecurityHeaders(
        await fetch(`${t.url}/contacts`, { headers: { accept: 'text/html' } }),
        'SPA route',
      );
      const asset = await fetch(`${t.url}/${ASSET}`);
      expect(asset.status).toBe(200);
      expectSecurityHeaders(asset, 'asset');
      expect(asset.headers.get('cache-control')).toContain('immutable');
      expectSecurityHeaders(await fetch(`${t.url}/health/live`), 'health');
    });

    it('sends the same CSP as nginx, and frame-ancestors none', () => {
      const snippet = readFileSync(join(__dirname, '../../nginx/snippets/security-headers.conf'), 'utf8');
      const nginxCsp = /add_header Content-Security-Policy "([^"]+)"/.exec(snippet)?.[1];
      expect(nginxCsp).toBe(CONTENT_SECURITY_POLICY);
      expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
      expect(CONTENT_SECURITY_POLICY).not.toContain("'unsafe-inline' 'self'; script");
      expect(/script-src[^;]*'unsafe-inline'/.test(CONTENT_SECURITY_POLICY)).toBe(false);
    });

    it('sends HSTS only over HTTPS as told by a trusted proxy', async () => {
      expect((await fetch(`${t.url}/health/live`)).headers.get('strict-transport-security')).toBeNull();
      const behindTls = await fetch(`${t.url}/health/live`, { headers: { 'x-forwarded-proto': 'https' } });
      expect(behindTls.headers.get('strict-transport-security')).toBe('max-age=31536000');
    });

    it('answers auth and API-key responses with Cache-Control: no-store', async () => {
      const login = await call(`${t.url}/api/v1/auth/login`, { body: TEST_ADMIN });
      expect(login.status).toBe(200);
      expect(login.headers.get('cache-control')).toBe('no-store');
      const failed = await call(`${t.url}/api/v1/auth/login`, {
        body: { email: 'nobody@example.test', password: 'x' },
      });
      expect(failed.headers.get('cache-control')).toBe('no-store');
      const refresh = await call(`${t.url}/api/v1/auth/refresh`, {
        body: { refreshToken: login.body.refreshToken },
      });
      expect(refresh.status).toBe(200);
      expect(refresh.headers.get('cache-control')).toBe('no-store');
      const me = await call(`${t.url}/api/v1/auth/me`, { token: refresh.body.accessToken });
      expect(me.status).toBe(200);
      expect(me.headers.get('cache-control')).toBe('no-store');
      const key = await call(`${t.url}/api/v1/api-keys`, {
        body: { name: 'cache test', role: 'viewer' },
        token: admin.token,
      });
      expect(key.status).toBe(201);
      expect(key.headers.get('cache-control')).toBe('no-store');
    });
  });

  describe('/metrics with METRICS_TOKEN set', () => {
    it('is refused with 401 and a Bearer challenge without the token or with a wrong one', async () => {
      for (const authorization of [
        undefined,
        'Bearer wrong-token',
        `Basic ${METRICS_TOKEN}`,
        `Bearer ${METRICS_TOKEN}x`,
      ]) {
        const res = await call(`${t.url}/metrics`, { headers: authorization ? { authorization } : {} });
        expect([authorization, res.status]).toEqual([authorization, 401]);
        expect(res.headers.get('www-authenticate')).toBe('Bearer realm="metrics"');
        expect(res.headers.get('content-type')).toContain('application/problem+json');
        expect(JSON.stringify(res.body)).not.toContain('process_cpu');
      }
      // the path matches case-insensitively like every route, and is protected the same way
      expect((await call(`${t.url}/METRICS`)).status).toBe(401);
    });

    it('is served with the token', async () => {
      const res = await fetch(`${t.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('process_cpu_user_seconds_total');
    });
  });
});

describe('security of the HTTP edge: no METRICS_TOKEN, loopback not a trusted proxy', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { TRUST_PROXY: '10.0.0.0/8' } });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('serves /metrics to a direct caller on this machine', async () => {
    const res = await fetch(`${t.url}/metrics`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('process_cpu_user_seconds_total');
  });

  it('refuses /metrics with 403 to anything relayed by a proxy (nginx on the same host)', async () => {
    const relayed: Array<Record<string, string>> = [
      { 'x-forwarded-for': '203.0.113.9' },
      { 'x-real-ip': '203.0.113.9' },
      { forwarded: 'for=203.0.113.9' },
    ];
    for (const headers of relayed) {
      const res = await call(`${t.url}/metrics`, { headers });
      expect([headers, res.status]).toEqual([headers, 403]);
      expect(res.body.type).toBe('urn:problem-type:metrics-local-only');
    }
  });

  it('ignores X-Forwarded-Proto from a proxy it does not trust: no HSTS', async () => {
    const res = await fetch(`${t.url}/health/live`, { headers: { 'x-forwarded-proto': 'https' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('strict-transport-security')).toBeNull();
  });
});
