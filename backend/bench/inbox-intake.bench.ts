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
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { availableParallelism, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import autocannon from 'autocannon';
import Redis from 'ioredis';
import { createConnection, type Connection } from 'mysql2/promise';
import { startAmoSandbox, type AmoAccountHandle } from '../sandbox/amocrm';
import { migrateDatabase } from '../src/database/migrate';
import { BENCH_TABLE_SQL } from './inbox-amocrm-bench-adapter';

export interface Row {
  metric: string;
  value: string;
  target: string;
  verdict: string;
}

interface Options {
  durationSeconds: number;
  aloneSeconds: number;
  connections: number;
  warmupSeconds: number;
}

const BACKEND = findBackend();
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
    const hookPath = new URL(await connectAndSubscribe(api.url, account)).pathname;
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
      while ((await count(query, UNFINISHED)) > 0 && Date.now() < deadline) await sleep(250);
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

async function tracked(starting: Promise<Service>, processes: Set<Service>): Promise<Service> {
  const service = await starting;
  processes.add(service);
  return service;
}

function row(metric: string, value: string, target: string, ok: boolean, note = ''): Row {
  return {
    metric,
    value,
    target,
    verdict: target ? `${ok ? 'met' : 'MISSED'}${note ? ` (${note})` : ''}` : '',
  };
}

function pct(value: number, target: number): string {
  return `${((value / target) * 100).toFixed(0)} %`;
}

/** The highest rate over any `seconds`-long window of the samples. */
function bestWindow(samples: { at: number; done: number }[], seconds: number): number {
  let best = 0;
  for (let i = 0; i < samples.length; i++) {
    for (let j = i + 1; j < samples.length; j++) {
      const span = (samples[j].at - samples[i].at) / 1000;
      if (span >= seconds) {
        best = Math.max(best, (samples[j].done - samples[i].done) / span);
        break;
      }
    }
  }
  return best;
}

/** The ids a body needs from the sandbox account: stages, a select field and its option, the PHONE field. */
interface BodyShape {
  accountId: number;
  subdomain: string;
  baseUrl: string;
  pipelineId: number;
  oldStatusId: number;
  statusId: number;
  responsibleUserId: number;
  selectFieldId: number;
  selectFieldName: string;
  option: { id: number; value: string };
  phoneFieldId: number;
  phoneEnumId: number;
}

function bodyShape(amo: AmoAccountHandle): BodyShape {
  const pipeline = amo.pipelines()[0];
  const [oldStage, stage] = pipeline.statuses.filter(
    (status) => status.type === 0 && status.id !== 142 && status.id !== 143,
  );
  const select = amo.leadFields().find((field) => field.type === 'select');
  const phone = amo.contactFields().find((field) => field.code === 'PHONE');
  if (!select?.enums || !phone?.enums) throw new Error('the sandbox account has no select or PHONE field');
  return {
    accountId: amo.id,
    subdomain: amo.subdomain,
    baseUrl: amo.baseUrl,
    pipelineId: pipeline.id,
    oldStatusId: oldStage.id,
    statusId: stage.id,
    responsibleUserId: amo.managerUserId,
    selectFieldId: select.id,
    selectFieldName: select.name,
    option: { id: select.enums[1].id, value: select.enums[1].value },
    phoneFieldId: phone.id,
    phoneEnumId: phone.enums[0].id,
  };
}

/**
 * A manager moves a lead to the next stage, as amoCRM sends it (legacy v2 field names): the whole lead under
 * `leads[status]` and its contact under `contacts[update]` with `linked_leads_id`.
 */
export function amocrmMoveBody(leadId: number, shape: BodyShape): string {
  const now = Math.floor(Date.now() / 1000);
  const contactId = leadId + 50_000_000;
  const lead = (field: string, value: string | number): [string, string] => [
    `leads[status][0][${field}]`,
    String(value),
  ];
  const contact = (field: string, value: string | number): [string, string] => [
    `contacts[update][0][${field}]`,
    String(value),
  ];
  return new URLSearchParams([
    lead('id', leadId),
    lead('name', `Заявка с сайта №${leadId}`),
    lead('status_id', shape.statusId),
    lead('old_status_id', shape.oldStatusId),
    lead('price', 15_000),
    lead('responsible_user_id', shape.responsibleUserId),
    lead('last_modified', now),
    lead('modified_user_id', shape.responsibleUserId),
    lead('created_user_id', shape.responsibleUserId),
    lead('date_create', now - 3600),
    lead('pipeline_id', shape.pipelineId),
    lead('old_pipeline_id', shape.pipelineId),
    lead('account_id', shape.accountId),
    lead('custom_fields][0][id', shape.selectFieldId),
    lead('custom_fields][0][name', shape.selectFieldName),
    lead('custom_fields][0][values][0][value', shape.option.value),
    lead('custom_fields][0][values][0][enum', shape.option.id),
    lead('created_at', now - 3600),
    lead('updated_at', now),
    contact('id', contactId),
    contact('name', `Клиент №${leadId}`),
    contact('responsible_user_id', shape.responsibleUserId),
    contact('date_create', now - 3600),
    contact('last_modified', now),
    contact('custom_fields][0][id', shape.phoneFieldId),
    contact('custom_fields][0][code', 'PHONE'),
    contact('custom_fields][0][values][0][value', `+7916${String(leadId % 10_000_000).padStart(7, '0')}`),
    contact('custom_fields][0][values][0][enum', shape.phoneEnumId),
    contact(`linked_leads_id][${leadId}][ID`, leadId),
    contact('type', 'contact'),
    contact('created_at', now - 3600),
    contact('updated_at', now),
    ['account[subdomain]', shape.subdomain],
    ['account[id]', String(shape.accountId)],
    ['account[_links][self]', shape.baseUrl],
  ]).toString();
}

function bareRequest(path: string, body: string): autocannon.Request {
  return { method: 'POST', path, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body };
}

interface CannonResult {
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  p50: number;
  p99: number;
  seconds: number;
}

async function cannon(options: autocannon.Options): Promise<CannonResult> {
  const result = await autocannon({ ...options, timeout: 10 });
  return {
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    p50: result.latency.p50,
    p99: result.latency.p99,
    seconds: result.duration,
  };
}

interface Service {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

function spawnNode(
  args: string[],
  env: Record<string, string>,
): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, args, {
    cwd: BACKEND,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let tail = '';
  const keep = (chunk: Buffer): void => {
    tail = (tail + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return { child, output: () => tail };
}

async function startService(env: Record<string, string>): Promise<Service> {
  // BENCH_NODE_FLAGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") goes to the api and worker processes
  const flags = (process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean);
  const { child, output } = spawnNode(
    [...flags, '-r', join(BACKEND, 'test/support/swc-register.js'), join(BACKEND, 'bench', 'bench-main.ts')],
    env,
  );
  const url = `http://127.0.0.1:${env.PORT}`;
  await waitUntil(async () => {
    if (child.exitCode !== null) throw new Error(`the ${env.APP_ROLE} process exited:\n${output()}`);
    const res = await fetch(`${url}/health/live`).catch(() => undefined);
    return res?.ok === true && !((await res.json()) as { starting?: boolean }).starting;
  }, 60_000);
  return { url, pid: child.pid ?? 0, stop: () => stopChild(child) };
}

async function startBaseline(port: number): Promise<Service> {
  const { child, output } = spawnNode(
    ['-r', join(BACKEND, 'test/support/swc-register.js'), join(BACKEND, 'bench', 'inbox-baseline-server.ts')],
    { PORT: String(port) },
  );
  await waitUntil(() => {
    if (child.exitCode !== null) throw new Error(`the baseline exited:\n${output()}`);
    return Promise.resolve(output().includes('listening'));
  }, 30_000);
  return { url: `http://127.0.0.1:${port}`, pid: child.pid ?? 0, stop: () => stopChild(child) };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  await exited;
  clearTimeout(timer);
}

/** Logs in, connects the workspace to the sandbox account (long-lived token) and answers its webhook URL. */
async function connectAndSubscribe(
  apiUrl: string,
  account: { subdomain: string; longLivedToken: string },
): Promise<string> {
  const login = await fetch(`${apiUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(ADMIN),
  });
  const { accessToken } = (await login.json()) as { accessToken: string };
  const authorization = `Bearer ${accessToken}`;
  const connected = await fetch(`${apiUrl}/api/v1/connections/amocrm`, {
    method: 'PUT',
    headers: { authorization, 'content-type': 'application/json' },
    body: JSON.stringify({ subdomain: account.subdomain, longLivedToken: account.longLivedToken }),
  });
  if (connected.status !== 200) throw new Error(`connecting amoCRM failed: ${await connected.text()}`);
  const res = await fetch(`${apiUrl}/api/v1/connections/amocrm/webhook`, { headers: { authorization } });
  const body = (await res.json()) as { url?: string };
  if (!body.url) throw new Error(`no webhook URL: ${JSON.stringify(body)}`);
  return body.url;
}

/**
 * CPU time used by processes (from /proc, Linux) and by this process (the load generator) between its creation
 * and `msPerEvent`: unlike throughput, CPU per event does not depend on what else runs on the machine.
 */
class CpuMeter {
  private readonly start: Record<string, number>;
  private readonly generatorStart = process.cpuUsage();

  constructor(private readonly groups: Record<string, number[]>) {
    this.start = Object.fromEntries(Object.entries(groups).map(([name, pids]) => [name, cpuMsOf(pids)]));
  }

  msPerEvent(events: number): Record<string, string> {
    const result: Record<string, string> = {};
    let total = 0;
    for (const [name, pids] of Object.entries(this.groups)) {
      const ms = (cpuMsOf(pids) - this.start[name]) / Math.max(1, events);
      total += ms;
      result[name] = ms.toFixed(2);
    }
    const generator = process.cpuUsage(this.generatorStart);
    const generatorMs = (generator.user + generator.system) / 1000 / Math.max(1, events);
    result.generator = generatorMs.toFixed(2);
    result.total = (total + generatorMs).toFixed(2);
    return result;
  }
}

/** utime + stime of the processes, in milliseconds (clock ticks of 10 ms). */
function cpuMsOf(pids: number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // not Linux, or the process is gone
    }
  }
  return ticks * 10;
}

/** Pids of processes with one of `names` (e.g. the local MariaDB and Redis servers). */
function pidsOf(names: string[]): number[] {
  try {
    return readdirSync('/proc')
      .filter((entry) => /^\d+$/.test(entry))
      .filter((pid) => {
        try {
          return names.includes(readFileSync(`/proc/${pid}/comm`, 'utf8').trim());
        } catch {
          return false;
        }
      })
      .map(Number);
  } catch {
    return [];
  }
}

/** How many of `ids` are done, asked in chunks. */
async function countDone(sql: Connection, ids: string[]): Promise<number> {
  let done = 0;
  for (let offset = 0; offset < ids.length; offset += 5_000) {
    const chunk = ids.slice(offset, offset + 5_000);
    done += await count(
      sql,
      `SELECT COUNT(*) FROM inbox_events WHERE status = 'done' AND id IN (${chunk.map((id) => sql.escape(id)).join(', ')})`,
    );
  }
  return done;
}

async function count(sql: Connection, query: string): Promise<number> {
  const [rows] = (await sql.query(query)) as unknown as [Record<string, unknown>[]];
  return Number(Object.values(rows[0])[0]);
}

async function deleteRedisKeys(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

async function waitUntil(probe: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe()) return;
    await sleep(200);
  }
  throw new Error(`not ready within ${timeoutMs} ms`);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function findBackend(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'bench', 'inbox-intake.bench.ts')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

export function printTable(rows: Row[]): void {
  const widths = [0, 1, 2, 3].map((i) =>
    Math.max(...rows.map((r) => [r.metric, r.value, r.target, r.verdict][i].length), 6),
  );
  const line = (cells: string[]): string => cells.map((cell, i) => cell.padEnd(widths[i])).join(' │ ');
  process.stdout.write(
    `${line(['metric', 'value', 'target', 'verdict'])}\n${widths.map((w) => '─'.repeat(w)).join('─┼─')}\n`,
  );
  for (const r of rows) process.stdout.write(`${line([r.metric, r.value, r.target, r.verdict])}\n`);
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
