import { randomUUID } from 'node:crypto';
import { createConnection, type Connection } from 'mysql2/promise';
import { AmocrmRateLimiter } from '../src/amocrm/client/amocrm-rate-limiter';
import { amocrmAccountKey } from '../src/amocrm/connection/amocrm-domain';
import { WebhookSecretsService } from '../src/inbox/webhook-secrets.service';
import { loginAdmin, secondWorkspace, userWithRole, type LoggedIn } from './support/auth';
import { call } from './support/http';
import { startTestApp, type TestApp } from './support/test-app';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The dashboard's stats routes, counted from rows stored in the real database and Redis. */
describe('dashboard stats: /api/v1/dashboard/*', () => {
  let t: TestApp;
  let db: Connection;
  let admin: LoggedIn;
  let other: LoggedIn;

  beforeAll(async () => {
    t = await startTestApp();
    db = await createConnection({ ...t.config.db });
    admin = await loginAdmin(t.url);
    other = await secondWorkspace(t.url, admin);
  });
  afterAll(async () => {
    await db.end();
    await t.close();
  });

  const get = (path: string, who: LoggedIn = admin) =>
    call(`${t.url}/api/v1/dashboard/${path}`, { token: who.token });

  async function insertEvent(
    ws: string,
    e: {
      status: string;
      createdAt: Date;
      processedAt?: Date | null;
      attempts?: number;
      source?: string;
      skipReason?: string;
    },
  ): Promise<void> {
    await db.query(
      `INSERT INTO inbox_events (id, workspace_id, source, event_type, status, content_type, headers, raw_body, summary,
         change_keys, idempotency, settings_version, mode, attempts, retries, history, processed_at, created_at, updated_at,
         skip_reason)
       VALUES (?, ?, ?, 'leads.add', ?, 'application/json', '{}', ?, '{}', '[]', NULL, 0, 'first', ?, 0, '[]', ?, ?, ?, ?)`,
      [
        randomUUID(),
        ws,
        e.source ?? 'amocrm',
        e.status,
        Buffer.from('{}'),
        e.attempts ?? 1,
        e.processedAt ?? null,
        e.createdAt,
        e.createdAt,
        e.skipReason ?? null,
      ],
    );
  }

  it('counts events by outcome per hour over 24 h and per day over 7 days, only of the workspace', async () => {
    const ws = admin.user.workspaceId;
    const now = Date.now();
    const twoHoursAgo = new Date(now - 2 * HOUR);
    const threeDaysAgo = new Date(now - 3 * DAY);
    for (const status of ['done', 'done', 'failed'])
      await insertEvent(ws, { status, createdAt: twoHoursAgo });
    // skipped: one filtered (nothing a rule or mapping watches changed), one echo
    await insertEvent(ws, { status: 'skipped', skipReason: 'filtered', createdAt: twoHoursAgo });
    await insertEvent(ws, { status: 'skipped', skipReason: 'echo', createdAt: twoHoursAgo });
    await insertEvent(ws, { status: 'skipped', skipReason: 'filtered', createdAt: new Date(now - 3 * DAY) });
    await insertEvent(ws, { status: 'done', attempts: 3, createdAt: twoHoursAgo });
    for (let i = 0; i < 4; i++) await insertEvent(ws, { status: 'done', createdAt: threeDaysAgo });
    await insertEvent(ws, { status: 'done', createdAt: new Date(now - 8 * DAY) });
    for (let i = 0; i < 5; i++)
      await insertEvent(other.user.workspaceId, { status: 'failed', createdAt: twoHoursAgo });

    const hourly = await get('flow');
    expect(hourly.status).toBe(200);
    expect(hourly.body.range).toBe('24h');
    expect(hourly.body.bucket).toBe('hour');
    expect(hourly.body.buckets).toHaveLength(24);
    const hourStart = new Date(Math.floor(twoHoursAgo.getTime() / HOUR) * HOUR).toISOString();
    expect(hourly.body.buckets.find((b: { start: string }) => b.start === hourStart)).toEqual({
      start: hourStart,
      done: 2,
      skipped: 2,
      filtered: 1,
      retried: 1,
      failed: 1,
    });
    expect(totals(hourly.body.buckets)).toBe(6);
    expect(hourly.body.filtered).toBe(1);

    const daily = await get('flow?range=7d');
    expect(daily.body.bucket).toBe('day');
    expect(daily.body.buckets).toHaveLength(7);
    const dayStart = new Date(Math.floor(threeDaysAgo.getTime() / DAY) * DAY).toISOString();
    expect(
      daily.body.buckets.find((b: { start: string }) => b.start === dayStart).done,
    ).toBeGreaterThanOrEqual(4);
    expect(totals(daily.body.buckets)).toBe(11);
    expect(daily.body.filtered).toBe(2);

    const byHour = await get('flow?range=7d&bucket=hour');
    expect(byHour.body.buckets).toHaveLength(168);
    expect(totals(byHour.body.buckets)).toBe(11);

    const otherFlow = await get('flow', other);
    expect(otherFlow.body.filtered).toBe(0);
    expect(otherFlow.body.buckets.reduce((sum: number, b: { failed: number }) => sum + b.failed, 0)).toBe(5);
  });

  it('measures capacity from stored timestamps: average, peak minute, lag and advice', async () => {
    const viewer = await userWithRole(t.url, other, 'viewer');
    const ws = other.user.workspaceId;
    const now = Date.now();
    const peakMinute = Math.floor((now - 5 * HOUR) / 60_000) * 60_000;
    for (let i = 0; i < 30; i++) {
      const at = new Date(peakMinute + i * 1000);
      await insertEvent(ws, { status: 'done', createdAt: at, processedAt: new Date(at.getTime() + 500) });
    }
    let res = await get('capacity', viewer);
    expect(res.status).toBe(200);
    // the 5 failed events of the first test were never processed: webhooks only
    expect(res.body.webhooks.total).toBe(35);
    expect(res.body.webhooks.peak).toBe(0.5);
    expect(res.body.webhooks.average).toBeCloseTo(35 / 86_400, 3);
    expect(res.body.events.total).toBe(30);
    expect(res.body.events.peak).toBe(0.5);
    expect(res.body.backlog).toBe(0);
    expect(res.body.lagSeconds).toBeNull();
    expect(res.body.advice).toBe('ok');

    // a queue that grows: events waiting for 10 minutes, none finished since
    const waiting = new Date(now - 10 * 60_000);
    for (let i = 0; i < 3; i++) await insertEvent(ws, { status: 'queued', createdAt: waiting });
    res = await get('capacity', viewer);
    expect(res.body.backlog).toBe(3);
    expect(res.body.lagSeconds).toBeGreaterThanOrEqual(600);
    expect(res.body.growth).toBe(3);
    expect(res.body.advice).toBe('tell_platform_admin'); // a workspace: adding a worker is the operator's call

    // the same waiting events, but the workers finished more than arrived: lagging, not growing
    for (let i = 0; i < 4; i++) {
      await insertEvent(ws, {
        status: 'done',
        createdAt: new Date(now - 20 * 60_000),
        processedAt: new Date(now - 60_000),
      });
    }
    res = await get('capacity', viewer);
    expect(res.body.advice).toBe('watch');

    await db.query(
      `UPDATE inbox_events SET status = 'done', processed_at = NOW(3) WHERE workspace_id = ? AND status = 'queued'`,
      [ws],
    );
    res = await get('capacity', viewer);
    expect(res.body.backlog).toBe(0);
    expect(res.body.advice).toBe('ok');
  });

  it('shows leads of the mirror by stage of each pipeline, named from the amoCRM metadata', async () => {
    const ws = admin.user.workspaceId;
    const snapshot = {
      account: { id: 1, name: 'Demo', subdomain: 'demo' },
      users: [],
      contactFields: [],
      leadFields: [],
      pipelines: [
        {
          id: 20,
          name: 'Повторные',
          isMain: false,
          isArchive: false,
          sort: 2,
          statuses: [{ id: 200, name: 'Звонок', sort: 1 }],
        },
        {
          id: 10,
          name: 'Продажи',
          isMain: true,
          isArchive: false,
          sort: 1,
          statuses: [
            { id: 102, name: 'Успешно', sort: 30 },
            { id: 100, name: 'Новая', sort: 10 },
            { id: 101, name: 'Переговоры', sort: 20 },
          ],
        },
        {
          id: 30,
          name: 'Архив',
          isMain: false,
          isArchive: true,
          sort: 3,
          statuses: [{ id: 300, name: 'Старое', sort: 1 }],
        },
      ],
    };
    await db.query(
      `INSERT INTO amocrm_metadata (id, workspace_id, account_id, fetched_at, snapshot) VALUES (?, ?, 1, NOW(3), ?)`,
      [randomUUID(), ws, JSON.stringify(snapshot)],
    );
    const lead = (pipeline: number, status: number, deleted = false) =>
      db.query(
        `INSERT INTO leads (id, workspace_id, name, status_id, pipeline_id, tags, custom_fields, source, deleted_at)
         VALUES (?, ?, 'Сделка', ?, ?, '[]', '[]', 'amocrm', ?)`,
        [randomUUID(), ws, status, pipeline, deleted ? new Date() : null],
      );
    for (let i = 0; i < 3; i++) await lead(10, 100);
    await lead(10, 101);
    await lead(10, 101, true);
    await lead(99, 999);
    await lead(10, 100).then(() => undefined);
    await db.query(
      `INSERT INTO leads (id, workspace_id, name, status_id, pipeline_id, tags, custom_fields, source)
       VALUES (?, ?, 'Чужая', 100, 10, '[]', '[]', 'amocrm')`,
      [randomUUID(), other.user.workspaceId],
    );

    const res = await get('funnel');
    expect(res.status).toBe(200);
    expect(res.body.pipelines).toEqual([
      {
        id: 10,
        name: 'Продажи',
        stages: [
          { id: 100, name: 'Новая', count: 4 },
          { id: 101, name: 'Переговоры', count: 1 },
          { id: 102, name: 'Успешно', count: 0 },
        ],
      },
      { id: 20, name: 'Повторные', stages: [{ id: 200, name: 'Звонок', count: 0 }] },
      { id: 99, name: '#99', stages: [{ id: 999, name: '#999', count: 1 }] },
    ]);
  });

  it('shows amoCRM requests granted by the real limiter per lane over the last hour, against the budget', async () => {
    const empty = await get('amocrm-rate');
    expect(empty.body).toEqual({ budget: t.config.amocrmRps, minutes: [] });

    const baseUrl = 'https://dashboard-rate.amocrm.ru';
    await db.query(
      `INSERT INTO amocrm_connections (id, workspace_id, subdomain, base_url, auth_kind, source, status)
       VALUES (?, ?, 'dashboard-rate', ?, 'long_lived', 'manual', 'connected')`,
      [randomUUID(), admin.user.workspaceId, baseUrl],
    );
    const limiter = t.app.get(AmocrmRateLimiter, { strict: false });
    const key = amocrmAccountKey(baseUrl);
    const lanes = ['sync', 'sync', 'sync', 'interactive', 'import', 'import'] as const;
    for (const lane of lanes) await limiter.acquire(key, lane, { deadline: Date.now() + 10_000 });

    const res = await get('amocrm-rate');
    expect(res.status).toBe(200);
    expect(res.body.budget).toBe(t.config.amocrmRps);
    expect(res.body.minutes).toHaveLength(60);
    const sum = (lane: string) =>
      res.body.minutes.reduce(
        (total: number, m: { count: Record<string, number> }) => total + m.count[lane],
        0,
      );
    expect({ interactive: sum('interactive'), sync: sum('sync'), import: sum('import') }).toEqual({
      interactive: 1,
      sync: 3,
      import: 2,
    });
    const peak = Math.max(...res.body.minutes.map((m: { peak: number }) => m.peak));
    expect(peak).toBeGreaterThanOrEqual(1);
    expect(peak).toBeLessThanOrEqual(t.config.amocrmRps);
    // another workspace without amoCRM sees none of it
    expect((await get('amocrm-rate', other)).body.minutes).toEqual([]);
  });

  it('ticks the first-steps checklist from the stored state, step by step', async () => {
    const fresh = await secondWorkspace(t.url, admin, 'Checklist team');
    const ws = fresh.user.workspaceId;
    const ticked = async () => {
      const res = await get('checklist', fresh);
      expect(res.status).toBe(200);
      return {
        done: res.body.steps.filter((s: { done: boolean }) => s.done).map((s: { step: string }) => s.step),
        complete: res.body.complete,
      };
    };
    expect((await get('checklist', fresh)).body.steps.map((s: { step: string }) => s.step)).toEqual([
      'amocrm',
      'webhooks',
      'lptracker',
      'mapping',
      'testLead',
    ]);
    expect(await ticked()).toEqual({ done: [], complete: false });

    await db.query(
      `INSERT INTO amocrm_connections (id, workspace_id, subdomain, base_url, auth_kind, source, status)
       VALUES (?, ?, 'checklist', 'https://checklist.amocrm.ru', 'long_lived', 'manual', 'connected')`,
      [randomUUID(), ws],
    );
    expect(await ticked()).toEqual({ done: ['amocrm'], complete: false });

    const secrets = t.app.get(WebhookSecretsService, { strict: false });
    await secrets.setEvents(ws, 'amocrm', null);
    expect((await ticked()).done).toEqual(['amocrm']);
    await secrets.setEvents(ws, 'amocrm', ['add_lead', 'status_lead']);
    expect((await ticked()).done).toEqual(['amocrm', 'webhooks']);

    await db.query(
      `INSERT INTO lptracker_connections (id, workspace_id, login, status) VALUES (?, ?, 'list@example.test', 'needs_reauth')`,
      [randomUUID(), ws],
    );
    expect((await ticked()).done).toEqual(['amocrm', 'webhooks']);
    await db.query(`UPDATE lptracker_connections SET status = 'connected' WHERE workspace_id = ?`, [ws]);
    expect((await ticked()).done).toEqual(['amocrm', 'webhooks', 'lptracker']);

    const mapping = (version: number, createdBy: string | null) =>
      db.query(
        `INSERT INTO lptracker_mappings (id, workspace_id, project_id, direction, version, document, settings_version, origin, created_by)
         VALUES (?, ?, 1, 'lptracker_to_amocrm', ?, '{}', ?, 'default', ?)`,
        [randomUUID(), ws, version, version, createdBy],
      );
    await mapping(1, null);
    await mapping(2, null); // completed by the service, not checked by a person
    expect((await ticked()).done).toEqual(['amocrm', 'webhooks', 'lptracker']);
    await mapping(3, fresh.user.id);
    expect((await ticked()).done).toEqual(['amocrm', 'webhooks', 'lptracker', 'mapping']);

    await insertEvent(ws, { status: 'failed', source: 'lptracker', createdAt: new Date() });
    await insertEvent(ws, { status: 'done', source: 'amocrm', createdAt: new Date() });
    expect((await ticked()).complete).toBe(false);
    await insertEvent(ws, { status: 'done', source: 'lptracker', createdAt: new Date() });
    expect(await ticked()).toEqual({
      done: ['amocrm', 'webhooks', 'lptracker', 'mapping', 'testLead'],
      complete: true,
    });
    // the admin's own workspace is not ticked by another's state
    expect(
      (await get('checklist')).body.steps.find((s: { step: string }) => s.step === 'testLead').done,
    ).toBe(false);
  });

  it('answers bad query input with 400 problem+json naming the field', async () => {
    const cases: [string, string][] = [
      ['flow?range=30d', 'range'],
      ['flow?range=', 'range'],
      [`flow?range=${'7'.repeat(5000)}`, 'range'],
      ['flow?range=__proto__', 'range'],
      ['flow?range[]=24h&range[]=7d', 'range'],
      ['flow?range[a][b]=1', 'range'],
      ['flow?bucket=minute', 'bucket'],
      ['flow?bucket=constructor', 'bucket'],
      ['flow?bucket[]=hour', 'bucket'],
      ['flow?unknown=1', 'unknown'],
      ['flow?constructor=1', 'constructor'],
      ['flow?__proto__=1', '__proto__'],
      ['checklist?prototype=1', 'prototype'],
    ];
    for (const [path, field] of cases) {
      const res = await get(path);
      expect({ path, status: res.status, type: res.headers.get('content-type') }).toEqual({
        path,
        status: 400,
        type: expect.stringContaining('application/problem+json'),
      });
      // `range[]` is how the query names an array parameter
      const fields: string[] = res.body.errors.map((e: { field: string }) => e.field);
      expect({ path, named: fields.some((f) => f === field || f.startsWith(`${field}[`)) }).toEqual({
        path,
        named: true,
      });
    }
  });
});

function totals(buckets: { done: number; skipped: number; retried: number; failed: number }[]): number {
  return buckets.reduce((sum, b) => sum + b.done + b.skipped + b.retried + b.failed, 0);
}
