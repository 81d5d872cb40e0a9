/**
 * Inbox processing benchmark (#16 §2): how fast the worker takes queued amoCRM webhooks and applies them to the
 * mirror, each a lead moved plus its contact (`amocrmMoveTemplate`), in two cases measured separately:
 * (a) both new to the mirror, (b) both already in the mirror (the same entities moved again, later versions).
 * For each case the worker (APP_ROLE=worker, spawned like production) is stopped while BENCH_EVENTS webhooks
 * (default 3,000) are accepted by the api, then started: the rate is taken from its first finished event to the
 * last, with its CPU ms and SQL statements per event over the same span (less disturbed by other load on the
 * machine than the rate). Then the count check: every event done once, one mirror row per entity, every move
 * published once per case.
 *
 * Run just this: `npm run bench -w backend -- inbox-processing`, or
 * `node -r ./test/support/swc-register.js bench/inbox-processing.bench.ts` (from backend/).
 * BENCH_EVENTS, BENCH_LOG_LEVEL (info), BENCH_WORKER_NICE (10, as in production), BENCH_DB_SOCKET.
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection, type Connection } from 'mysql2/promise';
import { startAmoSandbox } from '../sandbox/amocrm';
import { migrateDatabase } from '../src/database/migrate';
import { count, cpuMsOf } from './bench-measurement';
import { deleteRedisKeys, startService, type Service } from './bench-processes';
import { pct, printTable, row, type Row } from './bench-report';
import { delay, freePort } from './contacts-bench-support';
import { BENCH_TABLE_SQL } from './inbox-amocrm-bench-adapter';
import { amocrmMoveTemplate, bodyShape, connectAndSubscribe, type BodyShape } from './inbox-bench-load';
import { statementsOf } from './statement-counter';

const ADMIN = { email: 'bench-admin@example.test', password: 'Quiet-river-stone-42' };
const DONE = `SELECT COUNT(*) FROM inbox_events WHERE status = 'done'`;
const UNFINISHED = `SELECT COUNT(*) FROM inbox_events WHERE status IN ('received', 'queued', 'processing')`;
const TARGET_RATE = 1000;
const FIRST_LEAD = 10_000_000;

/** One case's figures. */
interface Measured {
  rate: number;
  cpuMs: number;
  statements: number;
  events: number;
  seconds: number;
}

export async function run(): Promise<Row[]> {
  const events = Number(process.env.BENCH_EVENTS ?? 3000);
  const db = {
    host: process.env.TEST_DB_HOST ?? '127.0.0.1',
    port: Number(process.env.TEST_DB_PORT ?? 3306),
    user: process.env.TEST_DB_USER ?? 'root',
    password: process.env.TEST_DB_PASSWORD ?? '',
    database: `bench_processing_${randomBytes(4).toString('hex')}`,
  };
  const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
  const prefix = `bench${randomBytes(4).toString('hex')}`;
  const statementsFile = join(tmpdir(), `${db.database}.statements`);
  const admin = await createConnection({
    host: db.host,
    port: db.port,
    user: db.user,
    password: db.password,
  });
  await admin.query(`CREATE DATABASE \`${db.database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  const processes = new Set<Service>();
  let sql: Connection | undefined;
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
      WORKER_NICE: process.env.BENCH_WORKER_NICE ?? '10',
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
    const startWorker = async (): Promise<Service> =>
      start({ APP_ROLE: 'worker', PORT: String(await freePort()), BENCH_STATEMENTS_FILE: statementsFile });
    const hookUrl = `${api.url}${new URL(await connectAndSubscribe(api.url, account, ADMIN)).pathname}`;
    const shape = bodyShape(amo);
    await stop(await startWorker()); // connecting needed a worker for the account's metadata

    /** One case: the webhooks stored with the worker stopped, then processed by a fresh worker. */
    const measure = async (moveShape: BodyShape): Promise<Measured> => {
      await delay(1000 - (Date.now() % 1000) + 5); // a later amoCRM version than the case before
      const doneBefore = await count(query, DONE);
      await postAll(hookUrl, amocrmMoveTemplate(moveShape), events);
      const worker = await startWorker();
      // from the first event it finishes: the worker's start-up is not processing
      while ((await count(query, DONE)) === doneBefore) await delay(20);
      const from = { at: Date.now(), done: await count(query, DONE), cpu: cpuMsOf([worker.pid]) };
      const statementsFrom = statementsOf(statementsFile);
      while ((await count(query, UNFINISHED)) > 0) await delay(50);
      const seconds = (Date.now() - from.at) / 1000;
      const processed = (await count(query, DONE)) - from.done;
      await delay(300); // the worker's counter is written every 200 ms
      const measured: Measured = {
        rate: processed / seconds,
        cpuMs: (cpuMsOf([worker.pid]) - from.cpu) / Math.max(1, processed),
        statements: (statementsOf(statementsFile) - statementsFrom) / Math.max(1, processed),
        events: processed,
        seconds,
      };
      await stop(worker);
      return measured;
    };

    const loadBefore = loadavg()[0];
    const fresh = await measure(shape);
    // the same leads moved back to the stage they came from, their contacts updated: every row exists
    const existing = await measure({ ...shape, statusId: shape.oldStatusId, oldStatusId: shape.statusId });
    const loadAfter = loadavg()[0];

    const done = await count(query, DONE);
    const stored = await count(query, 'SELECT COUNT(*) FROM inbox_events');
    const [[published]] = (await query.query(
      'SELECT COUNT(*) AS leads, COALESCE(MIN(runs), 0) AS minRuns, COALESCE(MAX(runs), 0) AS maxRuns FROM inbox_bench_processed',
    )) as unknown as [{ leads: number; minRuns: number; maxRuns: number }[]];
    const leads = await count(query, 'SELECT COUNT(*) FROM leads WHERE contact_id IS NOT NULL');
    const contacts = await count(query, 'SELECT COUNT(*) FROM contacts');
    return [
      ...caseRows('(a) lead and contact new to the mirror', fresh),
      ...caseRows('(b) lead and contact already in the mirror', existing),
      row(
        'count check: stored / done',
        `${stored} / ${done}`,
        `${2 * events} / ${2 * events}`,
        stored === done && done === 2 * events,
      ),
      row(
        'count check: leads moved / published moves per lead (min–max)',
        `${published.leads} / ${published.minRuns}–${published.maxRuns}`,
        `${events} / 2–2`,
        Number(published.leads) === events &&
          Number(published.minRuns) === 2 &&
          Number(published.maxRuns) === 2,
      ),
      row(
        'count check: mirror leads (linked) / contacts',
        `${leads} / ${contacts}`,
        `${events} / ${events}`,
        leads === events && contacts === events,
      ),
      row(
        'machine load (1-min avg) before / after',
        `${loadBefore.toFixed(1)} / ${loadAfter.toFixed(1)} on ${availableParallelism()} CPUs`,
        '',
        true,
      ),
      row(
        'setup',
        `${events} events per case; LOG_LEVEL=${common.LOG_LEVEL}; WORKER_NICE=${common.WORKER_NICE}`,
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
    rmSync(statementsFile, { force: true });
  }
}

function caseRows(name: string, measured: Measured): Row[] {
  return [
    row(
      `processing ${name}: events/s`,
      `${measured.rate.toFixed(0)} (${measured.events} in ${measured.seconds.toFixed(1)} s)`,
      `≥ ${TARGET_RATE}`,
      measured.rate >= TARGET_RATE,
      `${pct(measured.rate, TARGET_RATE)} of target`,
    ),
    row(
      `processing ${name}: worker CPU ms / SQL statements per event`,
      `${measured.cpuMs.toFixed(2)} / ${measured.statements.toFixed(1)}`,
      '',
      true,
    ),
  ];
}

/** POSTs `events` webhooks (ids filled in as wrk does) 32 at a time; every one must be accepted. */
async function postAll(url: string, template: string, events: number): Promise<void> {
  let next = 0;
  const post = async (): Promise<void> => {
    while (next < events) {
      const id = FIRST_LEAD + next++;
      const body = template
        .replaceAll('XLEADX', String(id))
        .replaceAll('XCONTACTX', String(id + 50_000_000))
        .replaceAll('XPHONEX', String(id % 10_000_000).padStart(7, '0'));
      const res = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'user-agent': 'amoCRM-WebHook-client/1.0',
        },
        body,
      });
      if (res.status !== 200)
        throw new Error(`a webhook was not accepted: ${res.status} ${await res.text()}`);
    }
  };
  await Promise.all(Array.from({ length: 32 }, post));
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
