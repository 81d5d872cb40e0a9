/**
 * The amoCRM limiter under load: several processes, each with many concurrent callers, all calling one sandbox
 * account limited to 7 rps (429 beyond, then blocked). Measures what amoCRM saw (achieved rps, 429s, the busiest
 * rolling second) and how long calls waited in the limiter per lane under mixed interactive + sync load.
 *
 * `run()` answers rows and prints nothing; standalone: `node dist/bench/amocrm-limiter.bench.js`
 * (or `node -r ./test/support/swc-register.js bench/amocrm-limiter.bench.ts`). Needs Redis (REDIS_URL).
 */
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { startAmoSandbox } from '../sandbox/amocrm';
import { AmocrmRateLimiter, type AmocrmLane } from '../src/amocrm/client/amocrm-rate-limiter';
import { AmocrmTransport, LANE_POLICIES } from '../src/amocrm/client/amocrm-transport';
import { loadConfig } from '../src/config/load-config';
import type { Row } from './run';

/** One line of the table: `target` says what the design aims for ('' when nothing). */
type BenchRow = Row & { bench: string; metric: string; value: number; unit: string; target: string };

export interface LimiterBenchOptions {
  processes?: number;
  /** Concurrent callers per process: `interactive` of them pace themselves, the rest call back to back. */
  callersPerProcess?: number;
  interactivePerProcess?: number;
  durationMs?: number;
  rps?: number;
  marginMs?: number;
  redisUrl?: string;
}

interface WorkerTask {
  redisUrl: string;
  redisPrefix: string;
  baseUrl: string;
  token: string;
  rps: number;
  /** The limiter's margin: the service's AMOCRM_RATE_MARGIN_MS default unless the options give one. */
  marginMs: number;
  callers: number;
  interactive: number;
  startAt: number;
  endAt: number;
}

interface WorkerReport {
  waits: Record<AmocrmLane, number[]>;
  statuses: Record<string, number>;
  failures: number;
}

const BENCH = 'amocrm-limiter';
const CHILD_FLAG = '--amocrm-limiter-worker';

export async function run(options: LimiterBenchOptions = {}): Promise<Row[]> {
  const processes = options.processes ?? 4;
  const callers = options.callersPerProcess ?? 20;
  const interactive = options.interactivePerProcess ?? 2;
  const durationMs = options.durationMs ?? 20_000;
  const rps = options.rps ?? 7;
  const marginMs = options.marginMs ?? loadConfig({}).amocrmRateMarginMs;
  const redisUrl = options.redisUrl ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const redisPrefix = `bench-${randomBytes(4).toString('hex')}:`;

  const sandbox = await startAmoSandbox({ rps });
  try {
    const account = sandbox.createAccount({ subdomain: 'bench' });
    const handle = sandbox.account('bench');
    const workers = await Promise.all(Array.from({ length: processes }, () => startWorker()));
    const startAt = Date.now() + 300; // every process is loaded and connected before the clock starts
    const endAt = startAt + durationMs;
    const task: WorkerTask = {
      redisUrl,
      redisPrefix,
      baseUrl: account.baseUrl,
      token: account.longLivedToken,
      rps,
      marginMs,
      callers,
      interactive,
      startAt,
      endAt,
    };
    const reports = await Promise.all(workers.map((start) => start(task)));

    const answered = handle.requests({ since: startAt }).filter((entry) => entry.at <= endAt);
    const sent = answered.map((entry) => entry.at).sort((x, y) => x - y);
    const ok = answered.filter((entry) => entry.status === 200).length;
    const waits = (lane: AmocrmLane): number[] =>
      reports.flatMap((report) => report.waits[lane]).sort((a, b) => a - b);
    const rows: BenchRow[] = [
      {
        bench: BENCH,
        metric: 'callers',
        value: processes * callers,
        unit: `${processes} processes × ${callers}`,
        target: '',
      },
      {
        bench: BENCH,
        metric: 'achieved rps (whole run)',
        value: round(ok / (durationMs / 1000)),
        unit: 'req/s',
        target: `≥ 6.5 (limit ${rps})`,
      },
      {
        bench: BENCH,
        metric: 'sustained rps (first to last send)',
        value: sent.length > 1 ? round((sent.length - 1) / ((sent[sent.length - 1] - sent[0]) / 1000)) : 0,
        unit: 'req/s',
        target: '≥ 6.5',
      },
      {
        bench: BENCH,
        metric: '429 answers',
        value: answered.filter((entry) => entry.status === 429).length,
        unit: 'count',
        target: '0',
      },
      {
        bench: BENCH,
        metric: '403 answers (blocked)',
        value: answered.filter((entry) => entry.status === 403).length,
        unit: 'count',
        target: '0',
      },
      {
        bench: BENCH,
        metric: 'busiest rolling second at amoCRM',
        value: busiestSecond(answered.map((entry) => entry.at)),
        unit: 'requests',
        target: `≤ ${rps}`,
      },
      {
        bench: BENCH,
        metric: 'failed calls',
        value: reports.reduce((sum, report) => sum + report.failures, 0),
        unit: 'count',
        target: '0',
      },
    ];
    for (const lane of ['interactive', 'sync'] as const) {
      const values = waits(lane);
      rows.push(
        { bench: BENCH, metric: `${lane} calls sent`, value: values.length, unit: 'count', target: '' },
        {
          bench: BENCH,
          metric: `${lane} wait in limiter p50`,
          value: percentile(values, 0.5),
          unit: 'ms',
          target: '',
        },
        {
          bench: BENCH,
          metric: `${lane} wait in limiter p99`,
          value: percentile(values, 0.99),
          unit: 'ms',
          target: '',
        },
      );
    }
    return rows;
  } finally {
    await sandbox.close();
    await cleanRedis(redisUrl, redisPrefix);
  }
}

/** Forks a worker process and waits until it is loaded; the answer starts it with a task. */
function startWorker(): Promise<(task: WorkerTask) => Promise<WorkerReport>> {
  return new Promise((resolveReady, rejectReady) => {
    const child = fork(__filename, [CHILD_FLAG], {
      execArgv: process.execArgv,
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    let report: WorkerReport | undefined;
    let finish: { resolve: (report: WorkerReport) => void; reject: (error: Error) => void } | undefined;
    child.on('message', (message: 'ready' | WorkerReport) => {
      if (message === 'ready') {
        resolveReady((task) => {
          child.send(task);
          return new Promise((resolve, reject) => (finish = { resolve, reject }));
        });
      } else {
        report = message;
      }
    });
    child.once('error', rejectReady);
    child.once('exit', (code) => {
      if (report) finish?.resolve(report);
      else {
        const error = new Error(`bench worker exited with ${code}`);
        rejectReady(error);
        finish?.reject(error);
      }
    });
  });
}

/** One process: `task.callers` concurrent callers through the real limiter and transport. */
async function worker(task: WorkerTask): Promise<WorkerReport> {
  const redis = new Redis(task.redisUrl, { keyPrefix: task.redisPrefix });
  const report: WorkerReport = {
    waits: { interactive: [], sync: [], import: [] },
    statuses: {},
    failures: 0,
  };
  const limiter = new AmocrmRateLimiter(redis, { rps: task.rps, marginMs: task.marginMs });
  const quiet = { debug: () => undefined, warn: () => undefined };
  const transport = new AmocrmTransport(limiter, quiet, {
    lanePolicies: {
      ...LANE_POLICIES,
      interactive: { ...LANE_POLICIES.interactive, maxAttempts: 1 },
      sync: { ...LANE_POLICIES.sync, maxAttempts: 1 },
    },
    onAttempt: ({ lane, status, waitedMs }) => {
      report.statuses[status] = (report.statuses[status] ?? 0) + 1;
      if (Date.now() <= task.endAt) report.waits[lane].push(waitedMs);
    },
  });
  await redis.ping();
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, task.startAt - Date.now())));
  const caller = async (lane: AmocrmLane): Promise<void> => {
    while (Date.now() < task.endAt) {
      try {
        await transport.send({
          accountKey: 'bench',
          lane,
          method: 'GET',
          url: `${task.baseUrl}/api/v4/account`,
          beforeSend: () => Promise.resolve(task.token),
        });
      } catch {
        if (Date.now() < task.endAt) report.failures += 1;
      }
      // Interactive callers are people and client apps: a call now and then, not back to back.
      if (lane === 'interactive')
        await new Promise((resolve) => setTimeout(resolve, 1000 + Math.random() * 3000));
    }
  };
  for (let i = 0; i < task.callers; i += 1) void caller(i < task.interactive ? 'interactive' : 'sync');
  // Calls still queued at the end are abandoned with the process (the limiter drops silent waiters).
  await new Promise((resolve) => setTimeout(resolve, task.endAt - Date.now() + 200));
  return report;
}

function busiestSecond(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end += 1) {
    while (sorted[end] - sorted[start] >= 1000) start += 1;
    best = Math.max(best, end - start + 1);
  }
  return best;
}

function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

async function cleanRedis(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl);
  try {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
  } finally {
    await redis.quit();
  }
}

if (process.argv.includes(CHILD_FLAG)) {
  process.send?.('ready');
  process.once('message', (task: WorkerTask) => {
    worker(task).then(
      (report) => process.send?.(report, () => process.exit(0)),
      (error: unknown) => {
        process.stderr.write(
          `bench worker failed: ${error instanceof Error ? error.stack : String(error)}\n`,
        );
        process.exit(1);
      },
    );
  });
} else if (require.main === module) {
  run().then(
    (rows) => console.table(rows),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
