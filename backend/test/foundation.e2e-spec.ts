import { call } from './support/http';
import { startTestApp, type TestApp } from './support/test-app';

describe('foundation: health, errors, docs', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
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
    expect(res.headers.get('x-request-id')).toBeTruthy();
  });
});
