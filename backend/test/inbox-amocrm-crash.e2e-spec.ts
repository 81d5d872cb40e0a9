import Redis from 'ioredis';
import { startAmoSandbox, type AmoAccountHandle, type AmoSandbox } from '../sandbox/amocrm';
import { connectLongLived, startAmocrmTestApp } from './support/amocrm';
import { MIRROR_EVENTS, amoForm, postHook, subscribe } from './support/amocrm-inbound';
import { loginAdmin } from './support/auth';
import { INBOX_TEST_ENV, INBOX_TEST_MAIN, TestDb, waitFor } from './support/inbox';
import { spawnService, type SpawnedService } from './support/spawn-service';
import { testEnv, type TestApp } from './support/test-app';

/**
 * The crash tests of `inbox-worker-kill` and `inbox-redis-flush`, on the real path: amoCRM's form-encoded
 * webhooks through the real amoCRM adapter (`src/amocrm-inbound`), in real api and worker processes. Every
 * webhook makes a new lead and a new contact from a complete payload, so the worker commits them in shared-commit
 * groups (several events in one transaction) and never needs to call amoCRM. The spawned processes run the real
 * `src/main.ts` through `inbox-test-main.ts`, which only adds a probe counting the domain events published in
 * each committing transaction (`inbox_test_published`: a change applied twice would show as runs > 1).
 */

/** A Redis database of its own: FLUSHDB there disturbs no other test (FLUSHALL would wipe parallel suites). */
const FLUSH_REDIS_URL = process.env.TEST_INBOX_AMOCRM_FLUSH_REDIS_URL ?? 'redis://127.0.0.1:6379/6';
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

interface RealWorld {
  t: TestApp;
  db: TestDb;
  amo: AmoAccountHandle;
  workspaceId: string;
  hookPath: string;
  spawned: SpawnedService[];
  start(role: 'api' | 'worker'): Promise<SpawnedService>;
  close(): Promise<void>;
}

async function startRealWorld(sandbox: AmoSandbox, subdomain: string, redisUrl: string): Promise<RealWorld> {
  // in-process only to migrate, connect the account and subscribe the webhook; it runs no worker
  const t = await startAmocrmTestApp(sandbox, {
    env: { ...INBOX_TEST_ENV, APP_ROLE: 'api', REDIS_URL: redisUrl, AMOCRM_RPS: '50' },
  });
  const db = await TestDb.open(t.config.db);
  const admin = await loginAdmin(t.url);
  await connectLongLived(t, admin, sandbox.createAccount({ subdomain, rps: 1000 }));
  const hook = await subscribe(t, admin, MIRROR_EVENTS);
  await waitFor(
    async () => (await db.count('SELECT COUNT(*) FROM amocrm_metadata')) > 0,
    20_000,
    'the account metadata loaded',
  );
  const spawned: SpawnedService[] = [];
  return {
    t,
    db,
    amo: sandbox.account(subdomain),
    workspaceId: admin.user.workspaceId,
    hookPath: new URL(hook.url).pathname,
    spawned,
    async start(role) {
      const { env } = await testEnv({
        database: t.config.db,
        env: {
          ...INBOX_TEST_ENV,
          APP_ROLE: role,
          REDIS_URL: redisUrl,
          REDIS_PREFIX: t.config.redisPrefix,
          AMOCRM_BASE_URL_TEMPLATE: sandbox.baseUrlTemplate,
          AMOCRM_RPS: '50',
          INBOX_CONCURRENCY: '16',
        },
      });
      const service = await spawnService(env, 60_000, INBOX_TEST_MAIN);
      spawned.push(service);
      return service;
    },
    async close() {
      for (const service of spawned) {
        service.kill('SIGKILL');
        await service.exited;
      }
      await db.close();
      await t.close();
    },
  };
}

let nextLeadId = 70_000_000;

/**
 * A manager moves a lead that is new to the mirror to another stage, as amoCRM sends it (legacy v2 names): the
 * whole lead under `leads[status]` and its contact, whole, under `contacts[update]` with `linked_leads_id`.
 */
function moveBody(amo: AmoAccountHandle): { leadId: number; contactId: number; body: string } {
  const leadId = ++nextLeadId;
  const contactId = leadId + 5_000_000;
  const pipeline = amo.pipelines()[0];
  const [oldStage, stage] = pipeline.statuses.filter(
    (status) => status.type === 0 && status.id !== 142 && status.id !== 143,
  );
  const phone = amo.contactFields().find((field) => field.code === 'PHONE');
  if (!phone?.enums) throw new Error('the sandbox account has no PHONE field');
  const now = Math.floor(Date.now() / 1000);
  const user = amo.managerUserId;
  const lead = (field: string, value: string | number): [string, string | number] => [
    `leads[status][0][${field}]`,
    value,
  ];
  const contact = (field: string, value: string | number): [string, string | number] => [
    `contacts[update][0][${field}]`,
    value,
  ];
  const body = amoForm(amo, [
    lead('id', leadId),
    lead('name', `Заявка №${leadId}`),
    lead('status_id', stage.id),
    lead('old_status_id', oldStage.id),
    lead('price', 15_000),
    lead('responsible_user_id', user),
    lead('last_modified', now),
    lead('modified_user_id', user),
    lead('created_user_id', user),
    lead('date_create', now - 3600),
    lead('pipeline_id', pipeline.id),
    lead('old_pipeline_id', pipeline.id),
    lead('account_id', amo.id),
    lead('created_at', now - 3600),
    lead('updated_at', now),
    contact('id', contactId),
    contact('name', `Клиент №${leadId}`),
    contact('responsible_user_id', user),
    contact('date_create', now - 3600),
    contact('last_modified', now),
    contact('custom_fields][0][id', phone.id),
    contact('custom_fields][0][code', 'PHONE'),
    contact('custom_fields][0][values][0][value', `+7916${String(leadId % 10_000_000).padStart(7, '0')}`),
    contact('custom_fields][0][values][0][enum', phone.enums[0].id),
    contact(`linked_leads_id][${leadId}][ID`, leadId),
    contact('type', 'contact'),
    contact('created_at', now - 3600),
    contact('updated_at', now),
  ]);
  return { leadId, contactId, body };
}

/** Delivers `count` webhooks to the api, 50 at a time; answers the acknowledged event ids and the entities. */
async function deliverMoves(
  world: RealWorld,
  apiUrl: string,
  count: number,
): Promise<{ acknowledged: string[]; leadIds: number[]; contactIds: number[] }> {
  const acknowledged: string[] = [];
  const leadIds: number[] = [];
  const contactIds: number[] = [];
  for (let offset = 0; offset < count; offset += 50) {
    const moves = Array.from({ length: Math.min(50, count - offset) }, () => moveBody(world.amo));
    const answers = await Promise.all(moves.map((move) => postHook(`${apiUrl}${world.hookPath}`, move.body)));
    answers.forEach((answer, index) => {
      expect({ status: answer.status, accepted: answer.body?.status }).toEqual({
        status: 200,
        accepted: 'accepted',
      });
      acknowledged.push(answer.body.id as string);
      leadIds.push(moves[index].leadId);
      contactIds.push(moves[index].contactId);
    });
  }
  return { acknowledged, leadIds, contactIds };
}

/** What a person checks after the crash: every acknowledged webhook done once, one mirror row per entity. */
async function expectEverythingOnce(
  world: RealWorld,
  delivered: { acknowledged: string[]; leadIds: number[]; contactIds: number[] },
): Promise<void> {
  const { db, workspaceId } = world;
  const done = await db.count(
    `SELECT COUNT(*) FROM inbox_events WHERE workspace_id = ? AND source = 'amocrm' AND status = 'done'
       AND id IN (${delivered.acknowledged.map(() => '?').join(', ')})`,
    [workspaceId, ...delivered.acknowledged],
  );
  expect(done).toBe(delivered.acknowledged.length);
  for (const [table, ids] of [
    ['leads', delivered.leadIds],
    ['contacts', delivered.contactIds],
  ] as const) {
    const mirror = await db.one<{ total: number; distinctIds: number }>(
      `SELECT COUNT(*) AS total, COUNT(DISTINCT amocrm_id) AS distinctIds FROM ${table}
        WHERE workspace_id = ? AND amocrm_id IN (${ids.map(() => '?').join(', ')})`,
      [workspaceId, ...ids],
    );
    expect({ table, total: Number(mirror.total), distinct: Number(mirror.distinctIds) }).toEqual({
      table,
      total: ids.length,
      distinct: ids.length,
    });
  }
  // the domain events of each change were published in one committed transaction, once
  const published = await db.one<{ leads: number; maxRuns: number }>(
    `SELECT COUNT(DISTINCT CASE WHEN event_key LIKE 'lead.%' THEN SUBSTRING_INDEX(event_key, ':', -1) END) AS leads,
            MAX(runs) AS maxRuns
       FROM inbox_test_published WHERE workspace_id = ?`,
    [workspaceId],
  );
  expect({ leads: Number(published.leads), maxRuns: Number(published.maxRuns) }).toEqual({
    leads: delivered.leadIds.length,
    maxRuns: 1,
  });
}

describe('inbox, real amoCRM adapter: crashes lose nothing and apply nothing twice', () => {
  let sandbox: AmoSandbox;

  beforeAll(async () => {
    sandbox = await startAmoSandbox({ rps: 1000 });
  });
  afterAll(async () => {
    await sandbox?.close();
  });

  it('a worker killed with kill -9 mid-run: every acknowledged webhook done once, one mirror row each', async () => {
    const EVENTS = 400;
    const world = await startRealWorld(sandbox, 'crashkill', REDIS_URL);
    try {
      const api = await world.start('api');
      const delivered = await deliverMoves(world, api.url, EVENTS);
      expect(await world.db.count(`SELECT COUNT(*) FROM inbox_events WHERE status = 'done'`)).toBe(0);
      const callsBefore = world.amo.requests().length;

      const first = await world.start('worker');
      await waitFor(
        async () =>
          (await world.db.count(`SELECT COUNT(*) FROM inbox_events WHERE status = 'done'`)) >= EVENTS / 10 &&
          (await world.db.count(`SELECT COUNT(*) FROM inbox_events WHERE status = 'processing'`)) > 0,
        60_000,
        'some events done and runs in progress',
      );
      first.kill('SIGKILL');
      expect(await first.exited).toBeNull();
      const interrupted = (
        await world.db.rows<{ id: string }>(`SELECT id FROM inbox_events WHERE status = 'processing'`)
      ).map((row) => row.id);
      expect(interrupted.length).toBeGreaterThan(0);
      expect(await world.db.count(`SELECT COUNT(*) FROM inbox_events WHERE status = 'done'`)).toBeLessThan(
        EVENTS,
      );

      await world.start('worker');
      await waitFor(
        async () =>
          (await world.db.count(`SELECT COUNT(*) FROM inbox_events WHERE status = 'done'`)) === EVENTS,
        120_000,
        'every event done',
      );
      await expectEverythingOnce(world, delivered);
      // the interrupted runs were rolled back and taken over by the second worker
      const takenOver = await world.db.count(
        `SELECT COUNT(*) FROM inbox_events WHERE status = 'done' AND attempts > 1
           AND id IN (${interrupted.map(() => '?').join(', ')})`,
        interrupted,
      );
      expect(takenOver).toBe(interrupted.length);
      // complete payloads: nothing had to be read from amoCRM
      expect(
        world.amo
          .requests()
          .slice(callsBefore)
          .map((entry) => `${entry.method} ${entry.path}`),
      ).toEqual([]);
    } finally {
      await world.close();
    }
  }, 240_000);

  it('Redis loses every job (FLUSHDB) mid-run: every acknowledged webhook done once, one mirror row each', async () => {
    const EVENTS = 200;
    const redis = new Redis(FLUSH_REDIS_URL);
    const world = await startRealWorld(sandbox, 'crashflush', FLUSH_REDIS_URL);
    try {
      const [api] = await Promise.all([world.start('api'), world.start('worker')]);
      const callsBefore = world.amo.requests().length;
      const first = await deliverMoves(world, api.url, EVENTS);
      await waitFor(
        async () => (await world.db.count(`SELECT COUNT(*) FROM inbox_events WHERE status = 'done'`)) > 0,
        30_000,
        'processing started',
      );
      expect(await redis.dbsize()).toBeGreaterThan(0);
      await redis.flushdb();
      const doneAtFlush = await world.db.count(`SELECT COUNT(*) FROM inbox_events WHERE status = 'done'`);
      expect(doneAtFlush).toBeLessThan(EVENTS);

      // more deliveries while the jobs are gone, then everything must finish
      const late = await deliverMoves(world, api.url, 20);
      const all = {
        acknowledged: [...first.acknowledged, ...late.acknowledged],
        leadIds: [...first.leadIds, ...late.leadIds],
        contactIds: [...first.contactIds, ...late.contactIds],
      };
      await waitFor(
        async () =>
          (await world.db.count(`SELECT COUNT(*) FROM inbox_events WHERE status = 'done'`)) ===
          all.acknowledged.length,
        120_000,
        'every event done',
      );
      await expectEverythingOnce(world, all);
      // the jobs were gone: the sweeper queued the waiting events again under a new generation
      expect(await world.db.count('SELECT COUNT(*) FROM inbox_events WHERE generation > 0')).toBeGreaterThan(
        0,
      );
      expect(
        world.amo
          .requests()
          .slice(callsBefore)
          .map((entry) => `${entry.method} ${entry.path}`),
      ).toEqual([]);
    } finally {
      redis.disconnect();
      await world.close();
    }
  }, 240_000);
});
