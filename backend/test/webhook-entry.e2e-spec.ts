import { request as httpRequest } from 'node:http';
import { gzipSync } from 'node:zlib';
import { WebhookEntry } from '../src/bootstrap/webhook-entry';
import { SECURITY_HEADERS } from '../src/http/security-headers';
import { InboxIntakeService } from '../src/inbox/inbox-intake.service';
import { loginAdmin } from './support/auth';
import { INBOX_TEST_ENV, TestDb, deliver, freshChange, hookUrl, startInboxTestApp } from './support/inbox';
import type { TestApp } from './support/test-app';

/** A raw request (fetch would refuse some of these: a body on GET, a wrong Content-Length, a chunked 2 MB body). */
function raw(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: Buffer | string; chunks?: Buffer[] },
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: any }> {
  return new Promise((resolve, reject) => {
    // a declared length: Node frames the body of a GET or DELETE only then
    const length = init.body === undefined ? {} : { 'content-length': String(Buffer.byteLength(init.body)) };
    const headers = { ...length, ...init.headers };
    const req = httpRequest(url, { method: init.method ?? 'POST', headers }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (chunk: Buffer) => parts.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(parts).toString('utf8');
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          // keep the text
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
      });
    });
    req.on('error', reject);
    for (const chunk of init.chunks ?? []) req.write(chunk);
    req.end(init.body);
  });
}

/**
 * The webhook entry in front of Express (src/bootstrap/webhook-entry.ts) in the real app: it serves every request
 * under /webhooks, with the answers the Nest route gave — security headers, problem+json refusals, the body cap,
 * the HTTP metric — and never a 500 for a client's mistake.
 */
describe('webhook entry: /webhooks served before Express', () => {
  let t: TestApp;
  let db: TestDb;
  let url: string;
  let secret: string;
  const handled = jest.spyOn(WebhookEntry.prototype, 'handle');
  const eventCount = () => db.count('SELECT COUNT(*) FROM inbox_events');

  beforeAll(async () => {
    t = await startInboxTestApp({ env: INBOX_TEST_ENV });
    db = await TestDb.open(t.config.db);
    const admin = await loginAdmin(t.url);
    url = await hookUrl(t, admin.user.workspaceId);
    secret = url.split('/').pop() ?? '';
  });
  afterAll(async () => {
    await db.close();
    await t.close();
  });

  it('stores a delivery through the entry and answers 200 with the security headers, no-store and the metric', async () => {
    handled.mockClear();
    const res = await deliver(
      url,
      { changes: [freshChange()] },
      { headers: { 'x-forwarded-for': '203.0.113.9' } },
    );
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: expect.any(String), status: 'accepted' });
    expect(handled).toHaveBeenCalledTimes(1);
    for (const [name, value] of Object.entries(SECURITY_HEADERS))
      expect([name, res.headers.get(name)]).toEqual([name, value]);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.headers.get('strict-transport-security')).toBeNull();
    const stored = await db.one<{ headers: string }>('SELECT headers FROM inbox_events WHERE id = ?', [
      res.body.id,
    ]);
    // the peer (loopback) is a trusted proxy (TRUST_PROXY default): the client is the forwarded address
    expect(JSON.parse(stored.headers)).toMatchObject({ 'x-remote-ip': '203.0.113.9' });
    const metrics = await (await fetch(`${t.url}/metrics`)).text();
    expect(metrics).toMatch(
      /http_request_duration_seconds_count\{method="POST",route="\/webhooks\/:source\/:secret",status="200"\} [1-9]/,
    );
  });

  it('sends HSTS when a trusted proxy says the request came over HTTPS', async () => {
    const res = await deliver(
      url,
      { changes: [freshChange()] },
      { headers: { 'x-forwarded-proto': 'https' } },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('strict-transport-security')).toBe('max-age=31536000');
  });

  it('matches the address as Express did: any case, a trailing slash, a query string', async () => {
    const path = new URL(url).pathname;
    for (const variant of [`${path}/`, `${path.replace('/webhooks/', '/WebHooks/')}`, `${path}?x=1`]) {
      const res = await deliver(`${t.url}${variant}`, { changes: [freshChange()] });
      expect([variant, res.status]).toEqual([variant, 200]);
    }
  });

  it('answers other methods and paths under /webhooks with the same 404 problem, never echoing the secret', async () => {
    const before = await eventCount();
    const path = new URL(url).pathname;
    for (const [method, target] of [
      ['GET', path],
      ['PUT', path],
      ['DELETE', path],
      ['POST', '/webhooks'],
      ['POST', '/webhooks/'],
      ['POST', `${path}/extra`],
      ['POST', '/webhooks//x'],
      ['POST', `/webhooks/test-json/${secret}%E0%A4%A`],
      ['GET', '/webhooks/no/such/path'],
    ]) {
      const res = await raw(`${t.url}${target}`, {
        method,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ changes: [freshChange()] }),
      });
      expect([method, target, res.status]).toEqual([method, target, 404]);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.body).toMatchObject({ type: 'urn:problem-type:not-found', status: 404 });
      expect(JSON.stringify(res.body)).not.toContain(secret);
    }
    expect(await eventCount()).toBe(before);
    const metrics = await (await fetch(`${t.url}/metrics`)).text();
    expect(metrics).toMatch(
      /http_request_duration_seconds_count\{method="GET",route="\/webhooks\/\*path",status="404"\} [1-9]/,
    );
  });

  it('refuses bodies over 1 MB (declared or streamed), unknown encodings and a broken gzip stream with 4xx problems', async () => {
    const before = await eventCount();
    const big = Buffer.alloc(1_100_000, 'a');
    const declared = await raw(url, { headers: { 'content-type': 'application/json' }, body: big });
    expect(declared.status).toBe(413);
    expect(declared.body).toMatchObject({ type: 'urn:problem-type:payload-too-large' });
    const streamed = await raw(url, {
      headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      chunks: [big.subarray(0, 600_000), big.subarray(600_000)],
    });
    expect(streamed.status).toBe(413);
    const encoding = await raw(url, {
      headers: { 'content-type': 'application/json', 'content-encoding': 'x-unknown' },
      body: '{}',
    });
    expect(encoding.status).toBe(415);
    expect(encoding.headers['content-type']).toContain('application/problem+json');
    const brokenGzip = await raw(url, {
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body: 'not gzip',
    });
    expect(brokenGzip.status).toBe(400);
    expect(await eventCount()).toBe(before);
  });

  it('reads a gzip-compressed delivery and stores the inflated body', async () => {
    const body = JSON.stringify({ changes: [freshChange()] });
    const res = await raw(url, {
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body: gzipSync(body),
    });
    expect(res.status).toBe(200);
    const stored = await db.one<{ raw_body: Buffer }>('SELECT raw_body FROM inbox_events WHERE id = ?', [
      res.body.id,
    ]);
    expect(Buffer.from(stored.raw_body).toString('utf8')).toBe(body);
  });

  it('never answers 500 to hostile bodies: prototype keys, deep nesting, an empty body, binary noise', async () => {
    for (const body of [
      '{"__proto__":{"polluted":1},"changes":[]}',
      '{"constructor":{"prototype":{"x":1}}}',
      '{"a":'.repeat(5000) + '1' + '}'.repeat(5000),
      '',
      Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x7b]),
    ]) {
      const res = await raw(url, { headers: { 'content-type': 'application/json' }, body });
      expect([String(body).slice(0, 40), res.status < 500]).toEqual([String(body).slice(0, 40), true]);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('answers a failure of ours (thrown or rejected) with a 500 problem that leaks nothing, and stays up', async () => {
    for (const failure of [
      () => {
        throw new Error('secret-internal-detail thrown');
      },
      () => Promise.reject(new Error('secret-internal-detail rejected')),
    ]) {
      const receive = jest.spyOn(InboxIntakeService.prototype, 'receive').mockImplementationOnce(failure);
      const res = await deliver(url, { changes: [freshChange()] });
      receive.mockRestore();
      expect(res.status).toBe(500);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body).toMatchObject({ type: 'urn:problem-type:internal-error', status: 500 });
      // the answer says "quote the request id": it carries one (the id of the error's log line)
      expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
      expect(JSON.stringify(res.body)).not.toContain('secret-internal-detail');
      expect(JSON.stringify(res.body)).not.toContain(secret);
    }
    const after = await deliver(url, { changes: [freshChange()] });
    expect(after.status).toBe(200);
    expect((await fetch(`${t.url}/health/live`)).status).toBe(200);
  });
});
