import { PROCESS_EVENT_JOB } from '../src/inbox/inbox-queue';
import { SECRET_CACHE_MS, WebhookSecretsService } from '../src/inbox/webhook-secrets.service';
import { loginAdmin, secondWorkspace, userWithRole, type LoggedIn } from './support/auth';
import { call } from './support/http';
import {
  INBOX_TEST_ENV,
  INBOX_TEST_MAIN,
  startInboxTestApp,
  TestDb,
  deliver,
  freshChange,
  hookUrl,
  inboxQueue,
  waitFor,
} from './support/inbox';
import { JSON_SOURCE } from './support/inbox-json-source';
import { spawnService } from './support/spawn-service';
import { testEnv, type TestApp } from './support/test-app';

describe('inbox intake: POST /webhooks/:source/:secret', () => {
  let t: TestApp;
  let db: TestDb;
  let admin: LoggedIn;
  let url: string;

  const eventCount = () => db.count('SELECT COUNT(*) FROM inbox_events');
  const processedRuns = (key: string) =>
    db.one<{ runs: number; event_id: string }>(
      'SELECT runs, event_id FROM inbox_test_processed WHERE change_key = ?',
      [key],
    );
  const eventStatus = async (id: string) =>
    (await call(`${t.url}/api/v1/events/${id}`, { token: admin.token })).body.status;

  beforeAll(async () => {
    t = await startInboxTestApp({ env: INBOX_TEST_ENV });
    db = await TestDb.open(t.config.db);
    admin = await loginAdmin(t.url);
    url = await hookUrl(t, admin.user.workspaceId);
  });
  afterAll(async () => {
    await db.close();
    await t.close();
  });

  it('stores the delivery, queues it, then answers; the worker processes it once', async () => {
    const change = freshChange({ name: 'Иван' });
    const body = JSON.stringify({ account: 'acme', sleepMs: 300, changes: [change] });
    const res = await deliver(url, body, {
      headers: { 'x-test-run': 'intake-1', 'user-agent': 'amoCRM-WebHook-client/1.0' },
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: expect.any(String), status: 'accepted' });
    const id: string = res.body.id;
    // answered only after the row was committed and the job (id = event id) was added
    const row = await db.one('SELECT status, raw_body FROM inbox_events WHERE id = ?', [id]);
    expect(row.raw_body.toString('utf8')).toBe(body);
    expect(['queued', 'processing', 'done']).toContain(row.status);
    const job = await inboxQueue(t).getJob(id);
    if (job === null) {
      // jobs are removed on completion: then the event must already be processed
      expect(await eventStatus(id)).toBe('done');
    } else {
      expect(job.name).toBe(PROCESS_EVENT_JOB);
      expect(job.data).toEqual({ eventId: id });
      expect(['waiting', 'active', 'completed']).toContain(await job.getState());
    }

    await waitFor(async () => (await eventStatus(id)) === 'done', 10_000, 'event done');
    const detail = await call(`${t.url}/api/v1/events/${id}`, { token: admin.token });
    expect(detail.body).toMatchObject({
      id,
      source: JSON_SOURCE,
      type: 'lead.update',
      status: 'done',
      attempts: 1,
      contentType: 'application/json',
      rawBody: body,
      rawBodyEncoding: 'utf8',
      headers: {
        'content-type': 'application/json',
        'x-test-run': 'intake-1',
        'user-agent': 'amoCRM-WebHook-client/1.0',
      },
      keys: [`lead:update:${change.id}:${change.updated_at}`],
      idempotency: { owned: [`lead:update:${change.id}:${change.updated_at}`], duplicates: [] },
      changes: [expect.objectContaining({ id: change.id, name: 'Иван' })],
      errors: [],
    });
    expect(detail.body.history).toHaveLength(1);
    expect(detail.body.history[0]).toMatchObject({ attempt: 1, mode: 'first', result: 'done' });
    const steps: { name: string; ms?: number; detail?: unknown }[] = detail.body.history[0].steps;
    expect(steps.find((step) => step.name === 'changes')).toMatchObject({
      detail: { owned: 1, duplicates: 0 },
    });
    // the adapter's own steps, timed
    expect(steps.filter((step) => typeof step.ms === 'number').map((step) => step.name)).toEqual(
      expect.arrayContaining(['parse', 'check faults', 'work']),
    );
    expect(await processedRuns(`lead:update:${change.id}:${change.updated_at}`)).toMatchObject({
      runs: 1,
      event_id: id,
    });
  });

  it('answers an unknown secret, source or malformed address with 404 and stores nothing', async () => {
    const before = await eventCount();
    const body = { changes: [freshChange()] };
    const wrongSecret = url.replace(/\/[^/]+$/, `/${'A'.repeat(43)}`);
    for (const target of [
      wrongSecret,
      url.replace(`/${JSON_SOURCE}/`, '/lptracker/'),
      url.replace(/\/[^/]+$/, '/short'),
      `${url}/extra`,
    ]) {
      const res = await deliver(target, body);
      expect([target, res.status]).toEqual([target, 404]);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(JSON.stringify(res.body)).not.toContain(url.split('/').pop());
    }
    expect(await eventCount()).toBe(before);
  });

  it('answers a wrong content type, an unparsable body and a body over 1 MB with 400/413 and stores nothing', async () => {
    const before = await eventCount();
    const form = await deliver(url, 'leads[add][0][id]=1', {
      contentType: 'application/x-www-form-urlencoded',
    });
    expect(form.status).toBe(400);
    expect(form.body).toMatchObject({ type: 'urn:problem-type:unsupported-content-type', status: 400 });
    const broken = await deliver(url, '{"changes": [', {});
    expect(broken.status).toBe(400);
    expect(broken.body).toMatchObject({ type: 'urn:problem-type:malformed-webhook' });
    const incomplete = await deliver(url, { changes: [{ entity: 'lead' }] });
    expect(incomplete.status).toBe(400);
    const huge = await deliver(
      url,
      JSON.stringify({ changes: [freshChange({ name: 'x'.repeat(1_100_000) })] }),
    );
    expect(huge.status).toBe(413);
    expect(huge.headers.get('content-type')).toContain('application/problem+json');
    expect(await eventCount()).toBe(before);
  });

  it('refuses a delivery from another account with 403 and records the rejection, not an event', async () => {
    const before = await eventCount();
    const res = await deliver(url, { account: 'someone-else', changes: [freshChange()] });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ type: 'urn:problem-type:account-mismatch', status: 403 });
    expect(await eventCount()).toBe(before);
    const rejection = await db.one(
      'SELECT workspace_id, source, reason, detail FROM inbox_rejections ORDER BY created_at DESC LIMIT 1',
    );
    expect(rejection).toMatchObject({
      workspace_id: admin.user.workspaceId,
      source: JSON_SOURCE,
      reason: 'account_mismatch',
    });
    expect(rejection.detail).toContain('someone-else');
    const stats = await call(`${t.url}/api/v1/events/stats`, { token: admin.token });
    expect(stats.body.rejectedLastHour).toBeGreaterThanOrEqual(1);
    const metrics = await (await fetch(`${t.url}/metrics`)).text();
    expect(metrics).toMatch(
      /inbox_deliveries_rejected_total\{source="test-json",reason="account_mismatch"\} [1-9]/,
    );
    expect(metrics).toMatch(
      /inbox_deliveries_rejected_total\{source="test-json",reason="unsupported_content_type"\} [1-9]/,
    );
    expect(metrics).toMatch(/inbox_deliveries_accepted_total\{source="test-json"\} [1-9]/);
  });

  it('acknowledges a repeated delivery and does not process it again', async () => {
    const change = freshChange();
    const key = `lead:update:${change.id}:${change.updated_at}`;
    const body = { changes: [change] };
    const first = await deliver(url, body);
    await waitFor(async () => (await eventStatus(first.body.id)) === 'done', 10_000, 'first done');
    const second = await deliver(url, body);
    expect(second.status).toBe(200);
    expect(second.body.status).toBe('accepted');
    await waitFor(async () => (await eventStatus(second.body.id)) === 'skipped', 10_000, 'second skipped');
    const duplicate = await call(`${t.url}/api/v1/events/${second.body.id}`, { token: admin.token });
    expect(duplicate.body).toMatchObject({
      status: 'skipped',
      skipReason: 'duplicate',
      keys: [key],
      idempotency: { owned: [], duplicates: [{ key, eventId: first.body.id }] },
    });
    // the adapter never ran: only the inbox's own lines
    expect(duplicate.body.history[0].steps.map((step: { name: string }) => step.name)).not.toContain('parse');
    expect(
      duplicate.body.history[0].steps.find((step: { name: string }) => step.name === 'changes'),
    ).toMatchObject({
      detail: { owned: 0, duplicates: 1 },
    });
    expect(await processedRuns(key)).toMatchObject({ runs: 1, event_id: first.body.id });
    const replay = await call(`${t.url}/api/v1/events/${second.body.id}/replay`, {
      token: admin.token,
      body: {},
    });
    expect(replay.status).toBe(409);
    const stats = await call(`${t.url}/api/v1/events/stats`, { token: admin.token });
    expect(
      stats.body.perMinute.reduce((sum: number, minute: { duplicate: number }) => sum + minute.duplicate, 0),
    ).toBeGreaterThanOrEqual(1);
  });

  it('processes only the new changes of a partly repeated delivery', async () => {
    const [a, b, c] = [freshChange(), freshChange(), freshChange()];
    const key = (change: typeof a) => `lead:update:${change.id}:${change.updated_at}`;
    const first = await deliver(url, { changes: [a, b] });
    await waitFor(async () => (await eventStatus(first.body.id)) === 'done', 10_000, 'first done');
    const second = await deliver(url, { changes: [b, c] });
    expect(second.body.status).toBe('accepted');
    await waitFor(async () => (await eventStatus(second.body.id)) === 'done', 10_000, 'second done');
    const detail = await call(`${t.url}/api/v1/events/${second.body.id}`, { token: admin.token });
    expect(detail.body.idempotency).toEqual({
      owned: [key(c)],
      duplicates: [{ key: key(b), eventId: first.body.id }],
    });
    expect(await processedRuns(key(a))).toMatchObject({ runs: 1, event_id: first.body.id });
    expect(await processedRuns(key(b))).toMatchObject({ runs: 1, event_id: first.body.id });
    expect(await processedRuns(key(c))).toMatchObject({ runs: 1, event_id: second.body.id });
  });

  it('processes a change once even when several deliveries of it arrive at the same moment', async () => {
    const change = freshChange();
    const answers = await Promise.all(Array.from({ length: 8 }, () => deliver(url, { changes: [change] })));
    expect(answers.map((answer) => answer.status)).toEqual(new Array(8).fill(200));
    const ids = answers.map((answer) => answer.body.id as string);
    const finals = await waitFor(async () => {
      const statuses = await Promise.all(ids.map(eventStatus));
      return statuses.every((status) => status === 'done' || status === 'skipped') ? statuses : undefined;
    });
    expect(finals.filter((status) => status === 'done')).toHaveLength(1);
    expect(finals.filter((status) => status === 'skipped')).toHaveLength(7);
    expect(await processedRuns(`lead:update:${change.id}:${change.updated_at}`)).toMatchObject({ runs: 1 });
  });

  it('stops accepting the old URL as soon as the secret is rotated', async () => {
    const secrets = t.app.get(WebhookSecretsService);
    const old = await hookUrl(t, admin.user.workspaceId);
    await secrets.rotate(admin.user.workspaceId, JSON_SOURCE);
    const fresh = await hookUrl(t, admin.user.workspaceId);
    expect(fresh).not.toBe(old);
    expect((await deliver(old, { changes: [freshChange()] })).status).toBe(404);
    expect((await deliver(fresh, { changes: [freshChange()] })).status).toBe(200);
    url = fresh;
  });

  it('makes another api process drop a rotated secret within seconds', async () => {
    const { env } = await testEnv({
      database: t.config.db,
      env: { ...INBOX_TEST_ENV, APP_ROLE: 'api', REDIS_PREFIX: t.config.redisPrefix },
    });
    const other = await spawnService(env, 60_000, INBOX_TEST_MAIN);
    try {
      const theirOld = url.replace(t.url, other.url);
      expect((await deliver(theirOld, { changes: [freshChange()] })).status).toBe(200); // now cached there
      await t.app.get(WebhookSecretsService).rotate(admin.user.workspaceId, JSON_SOURCE);
      url = await hookUrl(t, admin.user.workspaceId);
      await waitFor(
        async () => (await deliver(theirOld, { changes: [freshChange()] })).status === 404,
        SECRET_CACHE_MS + 5_000,
        'the other process refusing the old secret',
      );
      expect((await deliver(url.replace(t.url, other.url), { changes: [freshChange()] })).status).toBe(200);
    } finally {
      other.kill('SIGTERM');
      await other.exited;
    }
  }, 60_000);

  it('shows the amoCRM webhook URL to admins and rotates its secret', async () => {
    const before = await call(`${t.url}/api/v1/connections/amocrm/webhook`, { token: admin.token });
    expect(before.status).toBe(200);
    expect(before.body.url).toMatch(new RegExp(`^${t.config.publicUrl}/webhooks/amocrm/[A-Za-z0-9_-]{43}$`));
    expect(before.body).toMatchObject({ events: null, registered: null, lastReceivedAt: null });
    expect(before.body.registrationUnknownReason).toEqual(expect.any(String));
    const again = await call(`${t.url}/api/v1/connections/amocrm/webhook`, { token: admin.token });
    expect(again.body.url).toBe(before.body.url);
    const rotated = await call(`${t.url}/api/v1/connections/amocrm/webhook/rotate-secret`, {
      token: admin.token,
      body: {},
    });
    expect(rotated.status).toBe(200);
    expect(rotated.body).toMatchObject({ subscription: 'not_subscribed' });
    expect(rotated.body.url).not.toBe(before.body.url);
    const after = await call(`${t.url}/api/v1/connections/amocrm/webhook`, { token: admin.token });
    expect(after.body.url).toBe(rotated.body.url);
    const secret = rotated.body.url.split('/').pop();
    const stored = await db.one(
      'SELECT secret_hash, secret_sealed FROM inbox_webhook_secrets WHERE source = ?',
      ['amocrm'],
    );
    expect(JSON.stringify(stored)).not.toContain(secret);

    const manager = await userWithRole(t.url, admin, 'manager');
    expect((await call(`${t.url}/api/v1/connections/amocrm/webhook`, { token: manager.token })).status).toBe(
      403,
    );
  });

  it('keeps workspaces apart and lets only managers replay', async () => {
    const res = await deliver(url, { changes: [freshChange()] });
    await waitFor(async () => (await eventStatus(res.body.id)) === 'done', 10_000, 'done');
    const other = await secondWorkspace(t.url, admin);
    expect((await call(`${t.url}/api/v1/events/${res.body.id}`, { token: other.token })).status).toBe(404);
    expect(
      (await call(`${t.url}/api/v1/events/${res.body.id}/replay`, { token: other.token, body: {} })).status,
    ).toBe(404);
    expect(
      (await call(`${t.url}/api/v1/events/${res.body.id}/dismiss`, { token: other.token, body: {} })).status,
    ).toBe(404);
    const theirs = await call(`${t.url}/api/v1/events`, { token: other.token });
    expect(theirs.body).toMatchObject({ items: [], total: 0 });
    const theirStats = await call(`${t.url}/api/v1/events/stats`, { token: other.token });
    expect(
      theirStats.body.perMinute.reduce(
        (sum: number, minute: { received: number }) => sum + minute.received,
        0,
      ),
    ).toBe(0);
    // their own URL files events in their workspace only
    const theirUrl = await hookUrl(t, other.user.workspaceId);
    const theirEvent = await deliver(theirUrl, { changes: [freshChange()] });
    expect(
      (await call(`${t.url}/api/v1/events`, { token: other.token })).body.items.map(
        (e: { id: string }) => e.id,
      ),
    ).toEqual([theirEvent.body.id]);
    expect((await call(`${t.url}/api/v1/events/${theirEvent.body.id}`, { token: admin.token })).status).toBe(
      404,
    );

    const viewer = await userWithRole(t.url, admin, 'viewer');
    expect((await call(`${t.url}/api/v1/events`, { token: viewer.token })).status).toBe(200);
    expect((await call(`${t.url}/api/v1/events/${res.body.id}`, { token: viewer.token })).status).toBe(200);
    expect(
      (await call(`${t.url}/api/v1/events/${res.body.id}/replay`, { token: viewer.token, body: {} })).status,
    ).toBe(403);
    expect((await call(`${t.url}/api/v1/events/replay`, { token: viewer.token, body: {} })).status).toBe(403);
    expect(
      (await call(`${t.url}/api/v1/events/${res.body.id}/dismiss`, { token: viewer.token, body: {} })).status,
    ).toBe(403);
    const manager = await userWithRole(t.url, admin, 'manager');
    expect(
      (await call(`${t.url}/api/v1/events/${res.body.id}/replay`, { token: manager.token, body: {} })).status,
    ).toBe(202);
  });

  it('lists events newest first with filters and search by entity id', async () => {
    const change = freshChange({ entity: 'contact', action: 'add' });
    const res = await deliver(url, { changes: [change] });
    await waitFor(async () => (await eventStatus(res.body.id)) === 'done', 10_000, 'done'); // its first run indexes its entities
    const byEntity = await call(`${t.url}/api/v1/events?search=${change.id}`, { token: admin.token });
    expect(byEntity.body).toMatchObject({
      total: 1,
      totalCapped: false,
      items: [{ id: res.body.id, type: 'contact.add' }],
    });
    const byId = await call(`${t.url}/api/v1/events?search=${res.body.id}`, { token: admin.token });
    expect(byId.body.items.map((e: { id: string }) => e.id)).toEqual([res.body.id]);
    const byType = await call(`${t.url}/api/v1/events?type=contact.add&source=${JSON_SOURCE}&limit=5`, {
      token: admin.token,
    });
    expect(byType.body.items.map((e: { id: string }) => e.id)).toContain(res.body.id);
    const all = await call(`${t.url}/api/v1/events?limit=100`, { token: admin.token });
    const times = all.body.items.map((e: { receivedAt: string }) => e.receivedAt);
    expect([...times].sort().reverse()).toEqual(times);
    expect(all.body.items[0].id).toBe(res.body.id);
    const bad = await call(`${t.url}/api/v1/events?status=lost&from=yesterday`, { token: admin.token });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['from', 'status']);
  });
});
