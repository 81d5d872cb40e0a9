/**
 * Inbox intake benchmark: real-format amoCRM webhooks posted by autocannon to an api process (APP_ROLE=api) with a
 * worker process (APP_ROLE=worker), both spawned like production against one MySQL and Redis, all on this machine,
 * and processed by the real amoCRM adapter into the contacts/leads mirror. The workspace is connected (long-lived
 * token) to an in-process amoCRM sandbox account whose `account[id]` the webhooks carry. Each body is what amoCRM
 * sends when a manager moves a lead: `leads[status][0][…]` with the whole lead (v2 names, custom fields) plus the
 * `contacts[update][0][…]` of its contact with `linked_leads_id` — every lead and contact id unique, so nothing is a
 * duplicate, and every field the mirror keeps is in the body, so processing makes no amoCRM API call.
 *
 * A. BENCH_DURATION seconds (default 30) of intake with the worker running: accepted/s, acknowledgement latency
 *    p50/p99, the worker's rate meanwhile, CPU per event of every process (robust to other load on the machine).
 * B. BENCH_ALONE seconds (default 15) of intake with the worker stopped: what the intake path does by itself,
 *    and a backlog for C.
 * C. A fresh worker drains that backlog: sustained processing rate into MySQL.
 * Then the loss check over all of it (every acknowledged event done, stored = done, every change applied
 * exactly once), and the same load against a bare NestJS route as the baseline.
 *
 * Run: `node -r ./test/support/swc-register.js bench/inbox-intake.bench.ts` (from backend/), or `run()`.
 * BENCH_LOG_LEVEL (default info, as in production), BENCH_CONNECTIONS (32), BENCH_WORKER_NICE (10, as in production),
 * BENCH_DB_SOCKET (api and worker reach MySQL through this unix socket), BENCH_NODE_FLAGS (e.g. --cpu-prof).
 */
import { randomBytes } from 'node:crypto';
import { availableParallelism, loadavg } from 'node:os';
import type autocannon from 'autocannon';
import { createConnection, type Connection } from 'mysql2/promise';
import { startAmoSandbox } from '../sandbox/amocrm';
import { migrateDatabase } from '../src/database/migrate';
import { bestWindow, count, countDone, CpuMeter, pidsOf } from './bench-measurement';
import { deleteRedisKeys, startBaseline, startService, tracked, type Service } from './bench-processes';
import { pct, printTable, row, type Row } from './bench-report';
import { delay, freePort } from './contacts-bench-support';
import { BENCH_TABLE_SQL } from './inbox-amocrm-bench-adapter';
import {
  amocrmMoveBody,
  bareRequest,
  bodyShape,
  cannon,
  connectAndSubscribe,
  type CannonResult,
} from './inbox-bench-load';

export type { Row } from './bench-report';
export { amocrmMoveBody } from './inbox-bench-load';
export { printTable } from './bench-report';

interface Options {
  durationSeconds: number;
  aloneSeconds: number;
  connections: number;
  warmupSeconds: number;
}

const ADMIN = { email: 'bench-admin@example.test', password: 'Quiet-river-stone-42' };
const UNFINISHED = `SELECT COUNT(*) FROM inbox_events WHERE status IN ('received', 'queued', 'processing')`;
const DONE = `SELECT COUNT(*) FROM inbox_events WHERE status = 'done'`;

export async function run(options: Partial<Options> = {}): Promise<Row[]> {
  const opts: Options = {
    durationSeconds: Number(process.env.BENCH_DURATION ?? 30),
    aloneSeconds: Number(process.env.BENCH_ALONE ?? 15),
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
    let worker = await start({ APP_ROLE: 'worker', PORT: String(await freePort()) });
    const hookPath = new URL(await connectAndSubscribe(api.url, account, ADMIN)).pathname;
    const shape = bodyShape(amo);
    const apiCallsBefore = amo.requests().length;

    let leadId = 10_000_000;
    const acked = new Set<string>();
    const request = (): autocannon.Request => ({
      method: 'POST',
      path: hookPath,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'user-agent': 'amoCRM-WebHook-client/1.0',
      },
      setupRequest: (req: autocannon.Request) => ({ ...req, body: amocrmMoveBody(++leadId, shape) }),
      onResponse: (status: number, body: string) => {
        if (status >= 200 && status < 300) acked.add((JSON.parse(body) as { id: string }).id);
      },
    });
    const load = (seconds: number): Promise<CannonResult> =>
      cannon({ url: api.url, connections: opts.connections, duration: seconds, requests: [request()] });
    const waitUntilDrained = async (): Promise<void> => {
      const deadline = Date.now() + 600_000;
      while ((await count(query, UNFINISHED)) > 0 && Date.now() < deadline) await delay(250);
    };

    // A: intake with the worker running
    const loadBefore = loadavg()[0];
    await load(opts.warmupSeconds);
    const doneBefore = await count(query, DONE);
    const cpu = new CpuMeter({
      api: [api.pid],
      worker: [worker.pid],
      MariaDB: pidsOf(['mariadbd', 'mysqld']),
      Redis: pidsOf(['redis-server']),
    });
    const samples: { at: number; done: number }[] = [];
    const sampler = setInterval(
      () => void count(query, DONE).then((done) => samples.push({ at: Date.now(), done })),
      1_000,
    );
    const startedAt = Date.now();
    const main = await load(opts.durationSeconds);
    clearInterval(sampler);
    const loadDuring = loadavg()[0];
    const doneDuring = ((await count(query, DONE)) - doneBefore) / ((Date.now() - startedAt) / 1000);
    await waitUntilDrained();
    const cpuMs = cpu.msPerEvent((await count(query, DONE)) - doneBefore);

    // B: intake alone, building a backlog
    await stop(worker);
    const aloneCpu = new CpuMeter({ api: [api.pid] });
    const alone = await load(opts.aloneSeconds);
    const aloneCpuMs = aloneCpu.msPerEvent(alone.ok);

    // C: a fresh worker drains the backlog
    const backlog = await count(query, UNFINISHED);
    worker = await start({ APP_ROLE: 'worker', PORT: String(await freePort()) });
    const drainCpu = new CpuMeter({ worker: [worker.pid] });
    const drainFrom = await count(query, DONE);
    const drainStarted = Date.now();
    await waitUntilDrained();
    const drainSeconds = (Date.now() - drainStarted) / 1000;
    const drained = (await count(query, DONE)) - drainFrom;
    const drainCpuMs = drainCpu.msPerEvent(drained);

    // the loss check over A, B and C
    const done = await count(query, DONE);
    const stored = await count(query, 'SELECT COUNT(*) FROM inbox_events');
    const ackedDone = await countDone(query, [...acked]);
    const [[processed]] = (await query.query(
      'SELECT COUNT(*) AS changes, COALESCE(MAX(runs), 0) AS maxRuns FROM inbox_bench_processed',
    )) as unknown as [{ changes: number; maxRuns: number }[]];
    const mirroredLeads = await count(query, 'SELECT COUNT(*) FROM leads WHERE contact_id IS NOT NULL');
    const mirroredContacts = await count(query, 'SELECT COUNT(*) FROM contacts');
    const apiRequests = amo.requests().slice(apiCallsBefore);
    const apiCalls = apiRequests.length;
    const [statuses] = (await query.query(
      'SELECT status, COUNT(*) AS n FROM inbox_events GROUP BY status',
    )) as unknown as [{ status: string; n: number }[]];
    for (const service of [...processes]) await stop(service);

    // the baseline: the same load against a bare NestJS route
    const baseline = await tracked(startBaseline(await freePort()), processes);
    const bareBody = amocrmMoveBody(1, shape);
    const bare = async (seconds: number): Promise<CannonResult> =>
      cannon({
        url: baseline.url,
        connections: opts.connections,
        duration: seconds,
        requests: [bareRequest(hookPath, bareBody)],
      });
    await bare(opts.warmupSeconds);
    const bareCpu = new CpuMeter({ server: [baseline.pid] });
    const bareRun = await bare(opts.durationSeconds);
    const bareCpuMs = bareCpu.msPerEvent(bareRun.ok);

    const acceptedPerSecond = main.ok / main.seconds;
    const alonePerSecond = alone.ok / alone.seconds;
    const barePerSecond = bareRun.ok / bareRun.seconds;
    const drainRate = drained / drainSeconds;
    return [
      row(
        'A intake (worker running): accepted/s',
        acceptedPerSecond.toFixed(0),
        '≥ 2000',
        acceptedPerSecond >= 2000,
        `${pct(acceptedPerSecond, 2000)} of target`,
      ),
      row(
        'A intake: ack latency p50 / p99',
        `${main.p50} / ${main.p99} ms`,
        'p99 ≤ 50 ms',
        main.p99 <= 50,
        main.p99 > 50 ? `${main.p99 - 50} ms over` : '',
      ),
      row(
        'A intake: non-2xx / errors / timeouts',
        `${main.non2xx} / ${main.errors} / ${main.timeouts}`,
        '0',
        main.non2xx + main.errors + main.timeouts === 0,
      ),
      row(
        'A worker: done/s meanwhile (best 10 s window)',
        `${doneDuring.toFixed(0)} (${bestWindow(samples, 10).toFixed(0)})`,
        '',
        true,
      ),
      row(
        'A CPU ms per event: api / worker / MariaDB / Redis / autocannon',
        `${cpuMs.api} / ${cpuMs.worker} / ${cpuMs.MariaDB} / ${cpuMs.Redis} / ${cpuMs.generator} = ${cpuMs.total}`,
        '',
        true,
      ),
      row(
        'A capacity if 2 CPUs did only this (in + processed)',
        `≈ ${Math.round((availableParallelism() * 1000) / Number(cpuMs.total))} events/s`,
        '',
        true,
      ),
      row('B intake alone (worker stopped): accepted/s', alonePerSecond.toFixed(0), '', true),
      row('B intake alone: ack latency p50 / p99', `${alone.p50} / ${alone.p99} ms`, '', true),
      row('B intake alone: api CPU ms per request', aloneCpuMs.api, '', true),
      row(
        'C worker draining a backlog: events/s',
        `${drainRate.toFixed(0)} (${drained} of ${backlog} in ${drainSeconds.toFixed(1)} s)`,
        '≥ 500',
        drainRate >= 500,
        drainRate < 500 ? `${pct(drainRate, 500)} of target` : '',
      ),
      row('C worker CPU ms per event', drainCpuMs.worker, '', true),
      row('baseline (bare NestJS route): req/s', barePerSecond.toFixed(0), '', true),
      row(
        'baseline: latency p50 / p99; server CPU ms per request',
        `${bareRun.p50} / ${bareRun.p99} ms; ${bareCpuMs.server}`,
        '',
        true,
      ),
      row(
        'intake ÷ baseline (A / B)',
        `${((acceptedPerSecond / barePerSecond) * 100).toFixed(0)} % / ${((alonePerSecond / barePerSecond) * 100).toFixed(0)} %`,
        '',
        true,
      ),
      row(
        'loss check: acknowledged (2xx) and done',
        `${ackedDone} of ${acked.size}`,
        'all',
        ackedDone === acked.size,
      ),
      row('loss check: stored / done', `${stored} / ${done}`, 'equal', stored === done),
      row(
        'loss check: stage changes published / max per lead',
        `${processed.changes} / ${processed.maxRuns}`,
        `${done} / 1`,
        Number(processed.changes) === done && Number(processed.maxRuns) === 1,
      ),
      row(
        'loss check: mirror leads (linked to their contact) / contacts',
        `${mirroredLeads} / ${mirroredContacts}`,
        `${done} / ${done}`,
        mirroredLeads === done && mirroredContacts === done,
      ),
      row(
        'amoCRM API calls while processing',
        apiCalls === 0
          ? '0'
          : `${apiCalls}: ${[...new Set(apiRequests.map((request) => `${request.method} ${request.path.split('?')[0]}`))].join(', ')}`,
        '0',
        apiCalls === 0,
      ),
      row('events by status', statuses.map((s) => `${s.status}=${s.n}`).join(' '), '', true),
      row(
        'machine load (1-min avg) before / during A',
        `${loadBefore.toFixed(1)} / ${loadDuring.toFixed(1)} on ${availableParallelism()} CPUs`,
        '',
        true,
      ),
      row(
        'setup',
        `${opts.connections} connections; LOG_LEVEL=${common.LOG_LEVEL}; WORKER_NICE=${common.WORKER_NICE}; MySQL over ${common.DB_SOCKET ? `the socket ${common.DB_SOCKET}` : 'TCP'}; real amoCRM adapter, 2 entity changes per event; api, worker, MariaDB, Redis and autocannon share the CPUs`,
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
