import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';

/**
 * An open-loop, paced load of GET requests: request n is sent at start + n/rate whatever the earlier ones are doing
 * (on as many keep-alive sockets as are needed), so a slow answer delays no later request and is not hidden
 * (autocannon's rate limit holds each connection's next request until the last one answered, and fires its
 * connections together). At 100–400 requests/s it costs the generator little CPU. Latency is measured from the
 * moment each request is written until its whole answer is read.
 */

export interface PacedRun {
  /** `http://host:port` */
  url: string;
  rate: number;
  seconds: number;
  headers?: Record<string, string>;
  /** The path of the next request. */
  path: () => string;
  /** Whether an answer counts as right (status and body); without it, any 2xx. */
  check?: (status: number, body: string) => boolean;
}

export interface PacedResult {
  sent: number;
  ok: number;
  /** Answers that were not 2xx or failed `check`, and socket errors. */
  failed: number;
  seconds: number;
  /** Milliseconds to 0.01: p50 / p90 / p99 / max. */
  p50: number;
  p90: number;
  p99: number;
  max: number;
  /** Every answer's latency, ms (for merging runs). */
  latencies: number[];
}

export async function pacedLoad(run: PacedRun): Promise<PacedResult> {
  const { hostname, port } = new URL(run.url);
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const total = Math.round(run.rate * run.seconds);
  const interval = 1000 / run.rate;
  const latencies: number[] = [];
  let ok = 0;
  let failed = 0;
  let sent = 0;
  const pending = new Set<Promise<void>>();
  const fire = (): void => {
    const path = run.path();
    const started = performance.now();
    const done = new Promise<void>((resolve) => {
      const req = request(
        { host: hostname, port, path, method: 'GET', agent, headers: run.headers },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            latencies.push(performance.now() - started);
            const status = res.statusCode ?? 0;
            const right = run.check
              ? run.check(status, Buffer.concat(chunks).toString('utf8'))
              : status >= 200 && status < 300;
            if (right) ok += 1;
            else failed += 1;
            resolve();
          });
        },
      );
      req.on('error', () => {
        failed += 1;
        resolve();
      });
      req.end();
    });
    pending.add(done);
    void done.then(() => pending.delete(done));
  };
  const start = performance.now();
  while (sent < total) {
    const due = Math.min(total, Math.floor((performance.now() - start) / interval) + 1);
    while (sent < due) {
      fire();
      sent += 1;
    }
    const next = start + sent * interval;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, next - performance.now())));
  }
  await Promise.all(pending);
  const seconds = (performance.now() - start) / 1000;
  agent.destroy();
  return summarised({ sent, ok, failed, seconds }, latencies);
}

/** Several runs as one: counts and durations added, quantiles of all their latencies. */
export function mergeRuns(runs: readonly PacedResult[]): PacedResult {
  const sum = (pick: (run: PacedResult) => number) => runs.reduce((total, run) => total + pick(run), 0);
  return summarised(
    {
      sent: sum((run) => run.sent),
      ok: sum((run) => run.ok),
      failed: sum((run) => run.failed),
      seconds: sum((run) => run.seconds),
    },
    runs.flatMap((run) => run.latencies),
  );
}

function summarised(
  counts: Pick<PacedResult, 'sent' | 'ok' | 'failed' | 'seconds'>,
  latencies: number[],
): PacedResult {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (q: number): number =>
    sorted.length === 0
      ? NaN
      : Math.round(sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] * 100) / 100;
  return { ...counts, p50: at(0.5), p90: at(0.9), p99: at(0.99), max: at(1), latencies: sorted };
}
