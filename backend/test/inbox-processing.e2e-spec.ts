import { DataSource } from 'typeorm';
import type { DomainEvent } from '../src/inbox/domain-events';
import { DomainEventsService } from '../src/inbox/domain-events.service';
import { jobIdFor, PROCESS_EVENT_JOB } from '../src/inbox/inbox-queue';
import { InboxEventsRepository, type FinishFields } from '../src/inbox/inbox-events.repository';
import { InboxRetentionService } from '../src/inbox/inbox-retention.service';
import { SettingsVersionService } from '../src/settings/settings-version.service';
import { loginAdmin, type LoggedIn } from './support/auth';
import { call } from './support/http';
import {
  INBOX_TEST_ENV,
  startInboxTestApp,
  TestDb,
  deliver,
  freshChange,
  hookUrl,
  inboxQueue,
  waitFor,
} from './support/inbox';
import { type TestApp } from './support/test-app';

describe('inbox processing: retries, dead letter, replay, dismiss, retention', () => {
  let t: TestApp;
  let db: TestDb;
  let admin: LoggedIn;
  let url: string;

  const event = async (id: string) =>
    (await call(`${t.url}/api/v1/events/${id}`, { token: admin.token })).body;
  const until = (id: string, status: string) =>
    waitFor(
      async () => {
        const current = await event(id);
        return current.status === status ? current : undefined;
      },
      15_000,
      `event ${id} ${status}`,
    );
  const keyOf = (change: { id: string; updated_at: number | string }) =>
    `lead:update:${change.id}:${change.updated_at}`;
  const processed = (key: string) =>
    db.one<{ runs: number; event_id: string; settings_version: number } | undefined>(
      'SELECT runs, event_id, settings_version FROM inbox_test_processed WHERE change_key = ?',
      [key],
    );

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

  it('retries a failing event with the configured backoff, fails it, and a replay after the fix finishes it', async () => {
    const change = freshChange();
    await db.rows('INSERT INTO inbox_test_faults (entity_id) VALUES (?)', [change.id]);
    const { body } = await deliver(url, { changes: [change] });
    const failed = await until(body.id, 'failed');
    expect(failed).toMatchObject({
      attempts: 3,
      lastError: `entity ${change.id} is broken`,
      nextAttemptAt: null,
    });
    expect(failed.history.map((run: { result: string }) => run.result)).toEqual(['retry', 'retry', 'failed']);
    expect(failed.errors).toHaveLength(3);
    const started = failed.history.map((run: { startedAt: string }) => Date.parse(run.startedAt));
    expect(started[1] - started[0]).toBeGreaterThanOrEqual(100); // WEBHOOK_RETRY_DELAYS=100ms,200ms
    expect(started[2] - started[1]).toBeGreaterThanOrEqual(200);
    expect(
      failed.history[0].steps.find((step: { name: string }) => step.name === 'check faults'),
    ).toMatchObject({ ok: true });
    expect(await processed(keyOf(change))).toBeUndefined();
    const stats = await call(`${t.url}/api/v1/events/stats`, { token: admin.token });
    expect(stats.body.failed).toBeGreaterThanOrEqual(1);
    expect(stats.body.perMinute).toHaveLength(60);
    expect(
      stats.body.perMinute.reduce((sum: number, minute: { retried: number }) => sum + minute.retried, 0),
    ).toBeGreaterThanOrEqual(2);

    await db.rows('DELETE FROM inbox_test_faults WHERE entity_id = ?', [change.id]);
    const replay = await call(`${t.url}/api/v1/events/${body.id}/replay`, {
      token: admin.token,
      body: { mode: 'as_received' },
    });
    expect(replay.status).toBe(202);
    expect(replay.body).toEqual({ id: body.id, status: 'queued' });
    const done = await until(body.id, 'done');
    expect(done).toMatchObject({ attempts: 4, lastError: null, mode: 'as_received' });
    expect(done.history.map((run: { result: string }) => run.result)).toEqual([
      'retry',
      'retry',
      'failed',
      'done',
    ]);
    expect(await processed(keyOf(change))).toMatchObject({ runs: 1, event_id: body.id });
  });

  it('fails at once on a permanent error', async () => {
    const change = freshChange();
    await db.rows('INSERT INTO inbox_test_faults (entity_id, permanent) VALUES (?, 1)', [change.id]);
    const { body } = await deliver(url, { changes: [change] });
    const failed = await until(body.id, 'failed');
    expect(failed.attempts).toBe(1);
    expect(failed.lastError).toBe(`InboxPermanentError: entity ${change.id} is broken`);
  });

  it('replays failed events in bulk in the background', async () => {
    const changes = [freshChange(), freshChange(), freshChange()];
    for (const change of changes)
      await db.rows('INSERT INTO inbox_test_faults (entity_id, permanent) VALUES (?, 1)', [change.id]);
    const ids: string[] = [];
    for (const change of changes) ids.push((await deliver(url, { changes: [change] })).body.id);
    for (const id of ids) await until(id, 'failed');
    const failedNow = (await call(`${t.url}/api/v1/events?status=failed&limit=100`, { token: admin.token }))
      .body.total;
    await db.rows(`DELETE FROM inbox_test_faults`);

    const bulk = await call(`${t.url}/api/v1/events/replay`, {
      token: admin.token,
      body: { filter: { status: 'failed' }, mode: 'as_received' },
    });
    expect(bulk.status).toBe(202);
    expect(bulk.body).toEqual({ count: failedNow });
    for (const id of ids) expect((await until(id, 'done')).mode).toBe('as_received');
    for (const change of changes) expect(await processed(keyOf(change))).toMatchObject({ runs: 1 });
    const none = await call(`${t.url}/api/v1/events/replay`, {
      token: admin.token,
      body: { filter: { status: 'failed', search: 'nothing-like-this' } },
    });
    expect(none.body).toEqual({ count: 0 });
    const refused = await call(`${t.url}/api/v1/events/replay`, {
      token: admin.token,
      body: { filter: { status: 'processing' } },
    });
    expect(refused.status).toBe(400);
  });

  it('dismisses failed events only', async () => {
    const change = freshChange();
    await db.rows('INSERT INTO inbox_test_faults (entity_id, permanent) VALUES (?, 1)', [change.id]);
    const { body } = await deliver(url, { changes: [change] });
    await until(body.id, 'failed');
    const dismissed = await call(`${t.url}/api/v1/events/${body.id}/dismiss`, {
      token: admin.token,
      body: {},
    });
    expect(dismissed.status).toBe(200);
    expect(dismissed.body).toMatchObject({ id: body.id, status: 'dismissed' });
    const again = await call(`${t.url}/api/v1/events/${body.id}/dismiss`, { token: admin.token, body: {} });
    expect(again.status).toBe(409);
    expect(again.body.type).toBe('urn:problem-type:event-not-dismissable');
    const audit = await call(`${t.url}/api/v1/audit?action=inbox.event_dismissed`, { token: admin.token });
    expect(audit.body.items[0]).toMatchObject({ targetId: body.id });
    await db.rows('DELETE FROM inbox_test_faults WHERE entity_id = ?', [change.id]);
  });

  it('treats a job for an already finished event as a no-op', async () => {
    const change = freshChange();
    const { body } = await deliver(url, { changes: [change] });
    const done = await until(body.id, 'done');
    const job = await inboxQueue(t).add(
      PROCESS_EVENT_JOB,
      { eventId: body.id },
      { jobId: jobIdFor(body.id, 99) },
    );
    await job.finished();
    const after = await event(body.id);
    expect(after).toMatchObject({ status: 'done', attempts: done.attempts });
    expect(after.history).toHaveLength(done.history.length);
    expect(await processed(keyOf(change))).toMatchObject({ runs: 1 });
  });

  it('finishes a batch of runs in one transaction, only those still holding their lease', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const { body } = await deliver(url, { changes: [freshChange()] });
      await until(body.id, 'done');
      ids.push(body.id);
    }
    // as if three runs were finishing together: the second one's lease was taken over meanwhile
    for (const [index, id] of ids.entries())
      await db.rows(
        `UPDATE inbox_events SET status = 'processing', lease_token = ?, lease_until = NOW(3) + INTERVAL 1 MINUTE
          WHERE id = ?`,
        [`token-${index}`, id],
      );
    const repository = t.app.get(InboxEventsRepository);
    const fields = (status: 'done' | 'skipped', note: string): FinishFields => ({
      status,
      skipReason: status === 'skipped' ? 'filtered' : null,
      changes: status === 'skipped' ? null : [{ note }],
      history: [],
      appliedSettingsVersion: 7,
      idempotency: { owned: [note], duplicates: [] },
    });
    const held = await t.app.get(DataSource).transaction(async (manager) => {
      const found = await repository.lockHeldLeases(manager, [
        { id: ids[0], leaseToken: 'token-0' },
        { id: ids[1], leaseToken: 'token-of-a-lost-lease' },
        { id: ids[2], leaseToken: 'token-2' },
      ]);
      await repository.finishHeld(
        manager,
        [
          { id: ids[0], fields: fields('skipped', 'first') },
          { id: ids[2], fields: fields('done', 'third') },
        ].filter(({ id }) => found.has(id)),
      );
      return found;
    });
    expect([...held].sort()).toEqual([ids[0], ids[2]].sort());
    const rows = await db.rows<{
      id: string;
      status: string;
      skip_reason: string | null;
      lease_token: string | null;
    }>('SELECT id, status, skip_reason, lease_token FROM inbox_events WHERE id IN (?, ?, ?)', ids);
    const byId = new Map(rows.map((row) => [row.id, row]));
    expect(byId.get(ids[0])).toMatchObject({ status: 'skipped', skip_reason: 'filtered', lease_token: null });
    expect(byId.get(ids[1])).toMatchObject({ status: 'processing', lease_token: 'token-1' });
    expect(byId.get(ids[2])).toMatchObject({ status: 'done', skip_reason: null, lease_token: null });
    const stored = await db.rows<{ id: string; changes: string | null; applied_settings_version: number }>(
      'SELECT id, changes, applied_settings_version FROM inbox_events WHERE id IN (?, ?)',
      [ids[0], ids[2]],
    );
    expect(new Map(stored.map((row) => [row.id, row]))).toEqual(
      new Map([
        [ids[0], { id: ids[0], changes: null, applied_settings_version: 7 }],
        [ids[2], { id: ids[2], changes: JSON.stringify([{ note: 'third' }]), applied_settings_version: 7 }],
      ]),
    );
    await db.rows(
      `UPDATE inbox_events SET status = 'done', lease_token = NULL, lease_until = NULL WHERE id = ?`,
      [ids[1]],
    );
  });

  it('records the settings version on each event and replays as received; "current settings" is refused until mappings exist', async () => {
    const versions = t.app.get(SettingsVersionService);
    const workspaceId = admin.user.workspaceId;
    const received = await versions.currentSettingsVersion(workspaceId);
    const change = freshChange();
    const { body } = await deliver(url, { changes: [change] });
    await until(body.id, 'done');
    expect(await event(body.id)).toMatchObject({
      settingsVersion: received,
      appliedSettingsVersion: received,
    });
    expect(await processed(keyOf(change))).toMatchObject({ runs: 1, settings_version: received });

    // no setting changes processing yet: a replay "with the current settings" would be the same run, so it is
    // refused (single and bulk), the event untouched
    for (const [path, request] of [
      [`${body.id}/replay`, { mode: 'current_settings' }],
      ['replay', { filter: { status: 'done' }, mode: 'current_settings' }],
    ] as const) {
      const refused = await call(`${t.url}/api/v1/events/${path}`, { token: admin.token, body: request });
      expect(refused.status).toBe(400);
      expect(refused.body.errors).toEqual([expect.objectContaining({ field: 'mode' })]);
    }
    expect(await event(body.id)).toMatchObject({ status: 'done', attempts: 1 });

    // were a version bumped meanwhile (by mappings, later), a replay still applies the one stored with the event
    await versions.bumpSettingsVersion(workspaceId);
    await call(`${t.url}/api/v1/events/${body.id}/replay`, {
      token: admin.token,
      body: { mode: 'as_received' },
    });
    const replayed = await waitFor(async () => {
      const now = await event(body.id);
      return now.status === 'done' && now.attempts === 2 ? now : undefined;
    });
    expect(replayed).toMatchObject({ settingsVersion: received, appliedSettingsVersion: received });
    expect(await processed(keyOf(change))).toMatchObject({ runs: 2, settings_version: received });
    // an event still processing (held until the test lets it go, not a time window) cannot be replayed
    const held = freshChange();
    await db.rows('INSERT INTO inbox_test_holds (entity_id) VALUES (?)', [held.id]);
    const busy = await deliver(url, { hold: true, changes: [held] });
    try {
      await waitFor(async () => (await event(busy.body.id)).status === 'processing');
      const conflict = await call(`${t.url}/api/v1/events/${busy.body.id}/replay`, {
        token: admin.token,
        body: {},
      });
      expect(conflict.status).toBe(409);
      expect(conflict.body.type).toBe('urn:problem-type:event-not-replayable');
    } finally {
      await db.rows('DELETE FROM inbox_test_holds WHERE entity_id = ?', [held.id]);
    }
    await until(busy.body.id, 'done');
  });

  it('skips echoes and publishes domain events for applied changes, in the transaction that finishes the event', async () => {
    const seen: DomainEvent<'lead.updated'>[] = [];
    const stop = t.app.get(DomainEventsService).subscribe('lead.updated', (domainEvent, context) => {
      expect(context.manager).not.toBeNull();
      seen.push(domainEvent);
    });
    try {
      const echo = freshChange({ echo: true });
      const applied = freshChange({ name: 'Anna' });
      const mixed = await deliver(url, { changes: [echo, applied] });
      const done = await until(mixed.body.id, 'done');
      expect(done.history[0].skipped).toEqual([
        { key: keyOf(echo), reason: 'echo', detail: 'written by the integration itself' },
      ]);
      expect(seen.filter((e) => e.inboxEventId === mixed.body.id)).toEqual([
        expect.objectContaining({
          type: 'lead.updated',
          entityId: applied.id,
          source: 'test-json',
          new: { name: 'Anna' },
        }),
      ]);
      const onlyEcho = await deliver(url, { changes: [freshChange({ echo: true })] });
      expect(await until(onlyEcho.body.id, 'skipped')).toMatchObject({ skipReason: 'echo' });
    } finally {
      stop();
    }
  });

  it('rolls back the change when a domain event subscriber fails, and retries', async () => {
    let failures = 1;
    const change = freshChange();
    // fails for this change only: a run of an earlier test finishing meanwhile must not use up the failure
    const stop = t.app.get(DomainEventsService).subscribe('lead.updated', (domainEvent) => {
      if (domainEvent.entityId === change.id && failures-- > 0) throw new Error('rules engine down');
    });
    try {
      const { body } = await deliver(url, { changes: [change] });
      const done = await until(body.id, 'done');
      expect(done.history.map((run: { result: string; error?: string }) => [run.result, run.error])).toEqual([
        ['retry', 'rules engine down'],
        ['done', undefined],
      ]);
      expect(await processed(keyOf(change))).toMatchObject({ runs: 1 });
    } finally {
      stop();
    }
  });

  it('purges finished events after the retention period and keeps failed ones', async () => {
    const old = freshChange();
    const { body: doneEvent } = await deliver(url, { changes: [old] });
    await until(doneEvent.id, 'done');
    const broken = freshChange();
    await db.rows('INSERT INTO inbox_test_faults (entity_id, permanent) VALUES (?, 1)', [broken.id]);
    const { body: failedEvent } = await deliver(url, { changes: [broken] });
    await until(failedEvent.id, 'failed');
    await db.rows('UPDATE inbox_events SET updated_at = NOW(3) - INTERVAL 40 DAY WHERE id IN (?, ?)', [
      doneEvent.id,
      failedEvent.id,
    ]);

    const purged = await t.app.get(InboxRetentionService).purge();
    expect(purged.events).toBe(1);
    expect((await call(`${t.url}/api/v1/events/${doneEvent.id}`, { token: admin.token })).status).toBe(404);
    expect(await db.count('SELECT COUNT(*) FROM inbox_keys WHERE event_id = ?', [doneEvent.id])).toBe(0);
    expect((await event(failedEvent.id)).status).toBe('failed');
  });
});
