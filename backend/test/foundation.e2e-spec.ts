import { freePort } from './support/free-port';
import { call } from './support/http';
import { spawn, type ChildProcess } from 'node:child_process';
import { runServiceToExit, startProcess } from './support/spawn-service';
import { startTestApp, testEnv, type TestApp } from './support/test-app';
import { dropTestDatabase } from './support/test-database';

const METRICS_TOKEN = 'foundation-metrics-token-0123456789abcdef';

describe('foundation: health, errors, docs', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { METRICS_TOKEN } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('reports liveness and readiness with MySQL and Redis up', async () => {
    expect((await call(`${t.url}/health/live`)).status).toBe(200);
    const ready = await call(`${t.url}/health/ready`);
    expect(ready.status).toBe(200);
    expect(ready.body.checks.database.status).toBe('up');
    expect(ready.body.checks.redis.status).toBe('up');
  });

  it('answers unknown routes with a problem+json 404', async () => {
    const res = await call(`${t.url}/api/v1/no-such-thing`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body).toMatchObject({ type: 'about:blank', title: 'Not Found', status: 404 });
    expect(typeof res.body.detail).toBe('string');
    expect(res.headers.get('x-request-id')).toBe(res.body.requestId);
  });

  it('answers malformed JSON with 400 and a too large body with 413, both problem+json', async () => {
    const malformed = await call(`${t.url}/api/v1/auth/login`, { body: '{"email": "a@b.c", ' });
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject({ type: 'urn:problem-type:malformed-body', status: 400 });
    const huge = await call(`${t.url}/api/v1/auth/login`, {
      body: JSON.stringify({ email: 'a@b.c', password: 'x'.repeat(1_100_000) }),
    });
    expect(huge.status).toBe(413);
    expect(huge.headers.get('content-type')).toContain('application/problem+json');
    expect(huge.body).toMatchObject({ type: 'urn:problem-type:payload-too-large', status: 413 });
  });

  it('keeps the request id a client sends', async () => {
    const res = await call(`${t.url}/api/v1/nothing`, {
      headers: { 'x-request-id': 'client-chosen-id-123' },
    });
    expect(res.headers.get('x-request-id')).toBe('client-chosen-id-123');
  });

  it('exposes Prometheus metrics with HTTP durations by route', async () => {
    await call(`${t.url}/api/v1/auth/me`);
    const text = await (
      await fetch(`${t.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })
    ).text();
    expect(text).toMatch(
      /http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/auth\/me",status="401"\} \d+/,
    );
    expect(text).toContain('process_resident_memory_bytes');
  });

  it('describes every endpoint in OpenAPI, with error responses and security', async () => {
    const ui = await fetch(`${t.url}/api/docs`);
    expect(ui.status).toBe(200);
    const doc = (await call(`${t.url}/api/docs-json`)).body;
    expect(doc.openapi).toMatch(/^3\./);
    const operations = Object.entries(doc.paths).flatMap(([path, item]: [string, any]) =>
      Object.entries(item).map(([method, op]: [string, any]) => ({ path, method, op })),
    );
    expect(operations.length).toBeGreaterThan(10);
    for (const { path, method, op } of operations) {
      const where = `${method.toUpperCase()} ${path}`;
      expect([where, op.summary]).toEqual([where, expect.any(String)]);
      expect([where, op.responses['500']]).toEqual([where, expect.anything()]);
      const success = Object.keys(op.responses).filter((status) => /^[23]/.test(status));
      expect([where, success.length]).toEqual([where, 1]); // one success answer (a redirect for browser hops)
    }
    const me = doc.paths['/api/v1/auth/me'].get;
    expect(me.security).toEqual([{ bearer: [] }, { apiKey: [] }]);
    expect(me.responses['401'].content['application/problem+json']).toBeTruthy();
    expect(doc.paths['/health/live'].get.security).toBeUndefined();
    expect(doc.components.schemas.Problem).toBeTruthy();
  });
});

describe('foundation: start-up failures', () => {
  it('stops with one clear line and exit code 1 on a bad environment', async () => {
    const { code, output } = await runServiceToExit({
      PORT: 'eighty',
      APP_ROLE: 'everything',
      NODE_ENV: 'test',
    });
    expect(code).toBe(1);
    expect(output.trim()).toBe(
      'Invalid configuration: PORT must be a whole number between 1 and 65535; APP_ROLE must be all, api or worker',
    );
  });

  it('waits for a down Redis with clear log lines, answers readiness 503 naming it, and comes up when it returns', async () => {
    const redisPort = await freePort();
    const { env, db } = await testEnv({ env: { REDIS_URL: `redis://127.0.0.1:${redisPort}` } });
    const service = startProcess(env);
    let redis: ChildProcess | undefined;
    try {
      const waiting = await eventually(async () => {
        const res = await call(`${service.url}/health/ready`);
        return res.status === 503 ? res : undefined;
      });
      expect(waiting.headers.get('content-type')).toContain('application/problem+json');
      expect(waiting.body.detail).toContain(`Redis at 127.0.0.1:${redisPort}`);
      expect((await call(`${service.url}/health/live`)).status).toBe(200);
      expect(service.output()).toContain(`waiting for Redis at 127.0.0.1:${redisPort} (ECONNREFUSED)`);

      redis = spawn(
        'redis-server',
        ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
        { stdio: 'ignore' },
      );
      const ready = await eventually(async () => {
        const res = await call(`${service.url}/health/ready`).catch(() => undefined);
        return res?.status === 200 ? res : undefined;
      }, 30_000);
      expect(ready.body.checks.redis.status).toBe('up');
    } finally {
      service.kill('SIGTERM');
      await service.exited;
      redis?.kill('SIGKILL');
      await dropTestDatabase(db);
    }
  }, 60_000);
});

async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error('condition not reached in time');
}
