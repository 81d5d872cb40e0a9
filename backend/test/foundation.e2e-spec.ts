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
    const live = await fetch(`${t.url}/health/live`);
    expect(live.status).toBe(200);
    const ready = await fetch(`${t.url}/health/ready`);
    expect(ready.status).toBe(200);
    const body = await ready.json();
    expect(body.checks.database.status).toBe('up');
    expect(body.checks.redis.status).toBe('up');
  });

  it('answers unknown routes with a problem+json 404', async () => {
    const res = await fetch(`${t.url}/api/v1/no-such-thing`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const body = await res.json();
    expect(body).toMatchObject({ type: 'about:blank', title: 'Not Found', status: 404 });
    expect(typeof body.detail).toBe('string');
    expect(res.headers.get('x-request-id')).toBeTruthy();
  });
});
