/**
 * Inbox intake benchmark (#16 §2): real-format amoCRM webhooks POSTed by wrk (`wrk-load.ts`; Debian package `wrk`,
 * the benchmark stops with a clear message without it) to an api process (APP_ROLE=api), with a worker process
 * (APP_ROLE=worker) stopped, then running; both spawned like production against one MySQL and Redis, all on this
 * machine, and the events processed by the real amoCRM adapter into the contacts/leads mirror. The workspace is
 * connected (long-lived token) to an in-process amoCRM sandbox account whose `account[id]` the webhooks carry.
 * Each body is what amoCRM sends when a manager moves a lead: `leads[status][0][…]` with the whole lead plus the
 * `contacts[update][0][…]` of its contact — every lead and contact id unique (filled in per request by wrk's Lua
 * hook), so every delivery is stored and none is a duplicate, and processing makes no amoCRM API call.
 *
 * For each worker state: 3 s of warm-up, then BENCH_DURATION seconds (default 20) of the api's own
 * `GET /health/live` at the same concurrency (the reference), then BENCH_DURATION seconds of webhooks: accepted/s,
 * acknowledgement latency p50/p99, and the api's CPU per accepted webhook (from /proc: less disturbed by other load
 * on the machine than the rates). Then the worker drains what is left, and the count check: every acknowledged
 * delivery stored and done exactly once, stored = done, one mirror row per entity.
 *
 * Run: `npm run bench -w backend -- inbox-intake` (after `npm run build`), or
 * `node -r ./test/support/swc-register.js bench/inbox-intake.bench.ts` (from backend/).
 * BENCH_LOG_LEVEL (default info, as in production), BENCH_CONNECTIONS (32), BENCH_WRK_THREADS (2),
 * BENCH_WORKER_NICE (10, as in production), BENCH_DB_SOCKET (api and worker reach MySQL through this unix socket),
 * BENCH_NODE_FLAGS (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`), BENCH_INTAKE_CASES (`paused,running`; `running`
 * measures only with the worker running), BENCH_YIELD_ABOVE / BENCH_YIELD_RATE (the worker's INBOX_YIELD_ABOVE /
 * INBOX_YIELD_RATE, production defaults 500 / 100; BENCH_YIELD_ABOVE=0: the worker never slows down).
 */
import { randomBytes } from 'node:crypto';
import { availableParallelism, loadavg } from 'node:os';
import { createConnection, type Connection } from 'mysql2/promise';
import { startAmoSandbox } from '../sandbox/amocrm';
import { migrateDatabase } from '../src/database/migrate';
import { bestWindow, count, countDone, CpuMeter, pidsOf } from './bench-measurement';
import { deleteRedisKeys, startService, type Service } from './bench-processes';
import { pct, printTable, row, type Row } from './bench-report';
import { delay, freePort } from './contacts-bench-support';
import { BENCH_TABLE_SQL } from './inbox-amocrm-bench-adapter';
import { amocrmMoveTemplate, bodyShape, connectAndSubscribe } from './inbox-bench-load';
import { requireWrk, wrk, type WrkResult } from './wrk-load';

export type { Row } from './bench-report';
export { printTable };

interface Options {
  durationSeconds: number;
  connections: number;
  warmupSeconds: number;
}

const ADMIN = { email: 'bench-admin@example.test', password: 'Quiet-river-stone-42' };
const UNFINISHED = `SELECT COUNT(*) FROM inbox_events WHERE status IN ('received', 'queued', 'processing')`;
const DONE = `SELECT COUNT(*) FROM inbox_events WHERE status = 'done'`;
const TARGET_RATE = 2500;
const TARGET_P99_MS = 25;
/** Lead ids: 10,000,000 + 2,000,000 per wrk run + 250,000 per wrk thread (the phone is the id's last 7 digits). */
const IDS_PER_RUN = 2_000_000;
const IDS_PER_THREAD = 250_000;

/** One worker state's figures. */
interface Phase {
  health: WrkResult;
  intake: WrkResult;
  apiCpuMs: string;
  /**
   * MariaDB's and Redis's CPU per accepted webhook (all their clients: meaningful on a quiet machine), and the
   * worker's while it runs beside the intake (what it takes from the api; less while it yields to the intake).
   */
  storeCpuMs: string;
  healthCpuMs: string;
  /** Events the worker finished per second during the webhook run (0 with it paused). */
  doneDuringIntake: number;
  /** Deliveries per micro-batch (one INSERT, one Redis call) during the webhook run, from the api's metrics. */
  perBatch: string;
}

export async function run(options: Partial<Options> = {}): Promise<Row[]> {
  requireWrk();
  if (Number(process.env.BENCH_WRK_THREADS ?? 2) * IDS_PER_THREAD > IDS_PER_RUN)
    throw new Error(
      `BENCH_WRK_THREADS: at most ${IDS_PER_RUN / IDS_PER_THREAD} (the lead ids of the threads would overlap)`,
    );
  const opts: Options = {
    durationSeconds: Number(process.env.BENCH_DURATION ?? 20),
    connections: Number(process.env.BENCH_CONNECTIONS ?? 32),
    warmupSeconds: 3,
    ...options,
  };
  const db = {
    host: process.env.TEST_DB_HOST ?? '127.0.0.1',
    port: Number(process.env.TEST_DB_PORT ?? 3306),
    user: process.env.TEST_DB_USER ?? 'root',
    password: process.env.TEST_DB_PASSWORD ?? '',
    database: `bench_inbox_${randomBytes(4).toString('hex')}`,
  };
  const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
  const prefix = `bench${randomBytes(4).toString('hex')}`;
  const admin = await createConnection({
    host: db.host,
    port: db.port,
    user: db.user,
    password: db.password,
  });
  await admin.query(`CREATE DATABASE \`${db.database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  const processes = new Set<Service>();
  let sql: Connection | undefined;
  // the amoCRM account the workspace is connected to (answers the connection check and the metadata load)
  const sandbox = await startAmoSandbox({ port: 0, rps: 1000 });
  const account = sandbox.createAccount({ subdomain: 'bench', rps: 1000 });
  const amo = sandbox.account('bench');
  try {
    await migrateDatabase(db);
    sql = await createConnection(db);
    await sql.query(BENCH_TABLE_SQL);
    const query = sql;
    const common: Record<string, string> = {
      NODE_ENV: 'test',
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
      DB_HOST: db.host,
      DB_PORT: String(db.port),
      ...(process.env.BENCH_DB_SOCKET ? { DB_SOCKET: process.env.BENCH_DB_SOCKET } : {}),
      DB_USER: db.user,
      DB_PASSWORD: db.password,
      DB_NAME: db.database,
      REDIS_URL: redisUrl,
      REDIS_PREFIX: prefix,
      SERVE_CONSOLE: 'false',
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      AMOCRM_BASE_URL_TEMPLATE: sandbox.baseUrlTemplate,
      WORKER_NICE: process.env.BENCH_WORKER_NICE ?? '10', // the production default
      INBOX_YIELD_ABOVE: process.env.BENCH_YIELD_ABOVE ?? '500',
      INBOX_YIELD_RATE: process.env.BENCH_YIELD_RATE ?? '100',
      // no scheduled reconciliation pass (its amoCRM reads would count as calls made while processing)
      AMOCRM_RECONCILE_INTERVAL: 'off',
    };
    const start = async (env: Record<string, string>): Promise<Service> => {
      const service = await startService({ ...common, ...env });
      processes.add(service);
      return service;
    };
    const stop = async (service: Service): Promise<void> => {
      processes.delete(service);
      await service.stop();
    };
    const apiPort = await freePort();
    const api = await start({
      APP_ROLE: 'api',
      PORT: String(apiPort),
      PUBLIC_URL: `http://127.0.0.1:${apiPort}`,
    });
    const worker = await start({ APP_ROLE: 'worker', PORT: String(await freePort()) });
    const hookPath = new URL(await connectAndSubscribe(api.url, account, ADMIN)).pathname;
    const shape = bodyShape(amo);
    const apiCallsBefore = amo.requests().length;
    // the worker paused (stopped) first: connecting needed it for the account's metadata
    await stop(worker);

    const template = amocrmMoveTemplate(shape);
    const acked = new Set<string>();
    let runs = 0;
    const intake = async (seconds: number): Promise<WrkResult> => {
      const result = await wrk({
        url: api.url,
        path: hookPath,
        connections: opts.connections,
        seconds,
        post: {
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            'user-agent': 'amoCRM-WebHook-client/1.0',
          },
          template,
          firstId: 10_000_000 + IDS_PER_RUN * runs++,
          idsPerThread: IDS_PER_THREAD,
        },
      });
      for (const id of result.ids) acked.add(id);
      return result;
    };
    const health = (seconds: number): Promise<WrkResult> =>
      wrk({ url: api.url, path: '/health/live', connections: opts.connections, seconds });
    const measure = async (workerPid?: number): Promise<Phase> => {
      await intake(opts.warmupSeconds);
      const healthCpu = new CpuMeter({ api: [api.pid] });
      const healthRun = await health(opts.durationSeconds);
      const healthCpuMs = healthCpu.msPerEvent(healthRun.ok).api;
      const intakeCpu = new CpuMeter({
        api: [api.pid],
        MariaDB: pidsOf(['mariadbd', 'mysqld']),
        Redis: pidsOf(['redis-server']),
        worker: workerPid ? [workerPid] : [],
      });
      const batchesBefore = await batchCounts(api.url);
      const doneBefore = await count(query, DONE);
      const intakeRun = await intake(opts.durationSeconds);
      const doneDuringIntake = ((await count(query, DONE)) - doneBefore) / intakeRun.seconds;
      const cpu = intakeCpu.msPerEvent(intakeRun.ok);
      const batchesAfter = await batchCounts(api.url);
      const batches = batchesAfter.count - batchesBefore.count;
      return {
        health: healthRun,
        intake: intakeRun,
        apiCpuMs: cpu.api,
        storeCpuMs: `MariaDB ${cpu.MariaDB}, Redis ${cpu.Redis}${workerPid ? `; worker ${cpu.worker}` : ''}`,
        healthCpuMs,
        doneDuringIntake,
        perBatch:
          batches > 0
            ? `${((batchesAfter.sum - batchesBefore.sum) / batches).toFixed(1)} (${batches} batches)`
            : 'no batch',
      };
    };
    const waitUntilDrained = async (): Promise<void> => {
      const deadline = Date.now() + 600_000;
      while ((await count(query, UNFINISHED)) > 0 && Date.now() < deadline) await delay(250);
    };

    const loadBefore = loadavg()[0];
    const cases = (process.env.BENCH_INTAKE_CASES ?? 'paused,running').split(',');
    const paused = cases.includes('paused') ? await measure() : undefined;
    const runningWorker = await start({ APP_ROLE: 'worker', PORT: String(await freePort()) });
    const doneBefore = await count(query, DONE);
    const samples: { at: number; done: number }[] = [];
    const sampler = setInterval(
      () => void count(query, DONE).then((done) => samples.push({ at: Date.now(), done })),
      1_000,
    );
    const startedAt = Date.now();
    const running = await measure(runningWorker.pid);
    clearInterval(sampler);
    const loadDuring = loadavg()[0];
    const doneDuring = ((await count(query, DONE)) - doneBefore) / ((Date.now() - startedAt) / 1000);
    const drainStarted = Date.now();
    const drainFrom = await count(query, DONE);
    await waitUntilDrained();
    const drainSeconds = (Date.now() - drainStarted) / 1000;
    const drained = (await count(query, DONE)) - drainFrom;

    // the count check over every run
    const done = await count(query, DONE);
    const stored = await count(query, 'SELECT COUNT(*) FROM inbox_events');
    const ackedDone = await countDone(query, [...acked]);
    const [[processed]] = (await query.query(
      'SELECT COUNT(*) AS changes, COALESCE(MAX(runs), 0) AS maxRuns FROM inbox_bench_processed',
    )) as unknown as [{ changes: number; maxRuns: number }[]];
    const mirroredLeads = await count(query, 'SELECT COUNT(*) FROM leads WHERE contact_id IS NOT NULL');
    const mirroredContacts = await count(query, 'SELECT COUNT(*) FROM contacts');
    const apiRequests = amo.requests().slice(apiCallsBefore);
    const [statuses] = (await query.query(
      'SELECT status, COUNT(*) AS n FROM inbox_events GROUP BY status',
    )) as unknown as [{ status: string; n: number }[]];
    // wrk stops with a request in flight on some connections: stored, answered, but the answer never read
    const unread = stored - acked.size;
    const maxUnread = opts.connections * runs;

    return [
      ...(paused ? phaseRows('worker paused', paused) : []),
      ...phaseRows('worker running', running),
      row(
        'worker running: done/s meanwhile (best 10 s window; during the webhooks alone)',
        `${doneDuring.toFixed(0)} (${bestWindow(samples, 10).toFixed(0)}; ${running.doneDuringIntake.toFixed(0)})`,
        '',
        true,
      ),
      row('worker: draining the rest', `${drained} in ${drainSeconds.toFixed(1)} s`, '', true),
      row(
        'count check: acknowledged (2xx) and done',
        `${ackedDone} of ${acked.size}`,
        'all',
        ackedDone === acked.size,
      ),
      row('count check: stored / done', `${stored} / ${done}`, 'equal', stored === done),
      row(
        'count check: stored, answer unread when wrk stopped',
        String(unread),
        `0–${maxUnread}`,
        unread >= 0 && unread <= maxUnread,
      ),
      row(
        'count check: stage changes published / max per lead',
        `${processed.changes} / ${processed.maxRuns}`,
        `${done} / 1`,
        Number(processed.changes) === done && Number(processed.maxRuns) === 1,
      ),
      row(
        'count check: mirror leads (linked to their contact) / contacts',
        `${mirroredLeads} / ${mirroredContacts}`,
        `${done} / ${done}`,
        mirroredLeads === done && mirroredContacts === done,
      ),
      row(
        'amoCRM API calls while processing',
        apiRequests.length === 0
          ? '0'
          : `${apiRequests.length}: ${[...new Set(apiRequests.map((r) => `${r.method} ${r.path.split('?')[0]}`))].join(', ')}`,
        '0',
        apiRequests.length === 0,
      ),
      row('events by status', statuses.map((s) => `${s.status}=${s.n}`).join(' '), '', true),
      row(
        'machine load (1-min avg) before / at the end',
        `${loadBefore.toFixed(1)} / ${loadDuring.toFixed(1)} on ${availableParallelism()} CPUs`,
        '',
        true,
      ),
      row(
        'setup',
        `wrk, ${opts.connections} connections, ${process.env.BENCH_WRK_THREADS ?? 2} threads, ${opts.durationSeconds} s per run; LOG_LEVEL=${common.LOG_LEVEL}; WORKER_NICE=${common.WORKER_NICE}; INBOX_YIELD_ABOVE=${common.INBOX_YIELD_ABOVE}, INBOX_YIELD_RATE=${common.INBOX_YIELD_RATE}; MySQL over ${common.DB_SOCKET ? `the socket ${common.DB_SOCKET}` : 'TCP'}; api, worker, MariaDB, Redis and wrk share the CPUs`,
        '',
        true,
      ),
    ];
  } finally {
    for (const service of processes) await service.stop();
    await sandbox.close();
    await sql?.end();
    await admin.query(`DROP DATABASE IF EXISTS \`${db.database}\``);
    await admin.end();
    await deleteRedisKeys(redisUrl, prefix);
  }
}

if (require.main === module) {
  run().then(
    (rows) => {
      printTable(rows);
      process.exit(0);
    },
    (error: unknown) => {
      process.stderr.write(
        `benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exit(1);
    },
  );
}

/** A worker state's rows: webhooks beside the health reference measured in the same run. */
function phaseRows(state: string, phase: Phase): Row[] {
  const { intake, health } = phase;
  const rate = intake.ok / intake.seconds;
  const healthRate = health.ok / health.seconds;
  const failures = (r: WrkResult): number => r.non2xx + r.errors + r.timeouts;
  return [
    row(
      `intake, ${state}: accepted/s`,
      rate.toFixed(0),
      `≥ ${TARGET_RATE}`,
      rate >= TARGET_RATE,
      `${pct(rate, TARGET_RATE)} of target`,
    ),
    row(
      `intake, ${state}: p50 / p99`,
      `${intake.p50} / ${intake.p99} ms`,
      `p99 ≤ ${TARGET_P99_MS} ms`,
      intake.p99 <= TARGET_P99_MS,
    ),
    row(
      `reference GET /health/live, ${state}: req/s, p50 / p99`,
      `${healthRate.toFixed(0)}, ${health.p50} / ${health.p99} ms (intake = ${pct(rate, healthRate)})`,
      '',
      true,
    ),
    row(
      `CPU ms per accepted webhook, ${state}: api (per health request); stores; worker`,
      `${phase.apiCpuMs} (${phase.healthCpuMs}); ${phase.storeCpuMs}`,
      '',
      true,
    ),
    row(`intake, ${state}: deliveries per INSERT + Redis call`, phase.perBatch, '', true),
    row(
      `failures, ${state}: webhooks / health (≥ 400, socket errors, timeouts)`,
      `${failures(intake)} / ${failures(health)}`,
      '0',
      failures(intake) + failures(health) === 0,
    ),
  ];
}

/** The api's micro-batch histogram (inbox_intake_batch_size): deliveries stored and batches so far. */
async function batchCounts(apiUrl: string): Promise<{ sum: number; count: number }> {
  const text = await (await fetch(`${apiUrl}/metrics`)).text();
  const value = (name: string): number => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
  return { sum: value('inbox_intake_batch_size_sum'), count: value('inbox_intake_batch_size_count') };
}
