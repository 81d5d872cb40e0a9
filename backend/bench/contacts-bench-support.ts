import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { readdirSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';
import { join } from 'node:path';
import { createConnection, type Connection } from 'mysql2/promise';
import { SERVICE_NODE_FLAGS } from '../src/bootstrap/runtime-flags';
import { pidsOf } from './bench-measurement';

/**
 * What the contacts benchmarks share: a real service process (the production entry point, on its own fresh
 * database and Redis prefix) and small HTTP helpers. Self-contained (no test helpers), so the benchmarks also
 * run from the compiled `dist/bench`.
 */

const compiled = __filename.endsWith('.js');
/** backend/ (from `bench/` when run as TypeScript, from `dist/bench/` when compiled). */
const BACKEND = compiled ? join(__dirname, '..', '..') : join(__dirname, '..');

export const BENCH_ADMIN = { email: 'bench-admin@example.test', password: 'Qz7-harbor-lantern-93' };

export interface DbServer {
  host: string;
  port: number;
  user: string;
  password: string;
}

/** The MySQL/MariaDB server benchmarks use: BENCH_DB_* or the local one (root, no password). */
export function dbServer(): DbServer {
  return {
    host: process.env.BENCH_DB_HOST ?? '127.0.0.1',
    port: Number(process.env.BENCH_DB_PORT ?? 3306),
    user: process.env.BENCH_DB_USER ?? 'root',
    password: process.env.BENCH_DB_PASSWORD ?? '',
  };
}

export function connectDb(database?: string): Promise<Connection> {
  return createConnection({ ...dbServer(), ...(database ? { database } : {}), multipleStatements: false });
}

export interface BenchService {
  url: string;
  database: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
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

/** Starts `src/main.ts` (or `dist/src/main.js`) on a fresh database; it migrates and creates BENCH_ADMIN. */
export async function startBenchService(
  extraEnv: Record<string, string> = {},
  options: {
    keepDatabase?: string;
    /** Modules of `bench/` the service loads before its entry point (e.g. `statement-counter`). */
    preload?: string[];
    /** Node flags of the service process (e.g. `--cpu-prof`, which NODE_OPTIONS refuses). */
    nodeFlags?: string[];
  } = {},
): Promise<BenchService> {
  const database = options.keepDatabase ?? `bench_${randomBytes(5).toString('hex')}`;
  const admin = await connectDb();
  await admin.query(
    `CREATE DATABASE ${options.keepDatabase ? 'IF NOT EXISTS ' : ''}\`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
  );
  await admin.end();
  const port = await freePort();
  const server = dbServer();
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    NODE_ENV: 'production',
    JWT_SECRET: randomBytes(32).toString('hex'),
    ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    APP_ROLE: 'api',
    SERVE_CONSOLE: 'false',
    LOG_LEVEL: 'warn',
    DB_HOST: server.host,
    DB_PORT: String(server.port),
    DB_USER: server.user,
    DB_PASSWORD: server.password,
    DB_NAME: database,
    REDIS_URL: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
    REDIS_PREFIX: `b${randomBytes(5).toString('hex')}`,
    ADMIN_EMAIL: BENCH_ADMIN.email,
    ADMIN_PASSWORD: BENCH_ADMIN.password,
    ...extraEnv,
  };
  const preloads = [
    ...SERVICE_NODE_FLAGS, // as production starts it
    ...(options.nodeFlags ?? []),
    ...(options.preload ?? []).flatMap((name) => ['-r', join(__dirname, name)]),
  ];
  const args = compiled
    ? [...preloads, join(BACKEND, 'dist', 'src', 'main.js')]
    : [
        '-r',
        join(BACKEND, 'test', 'support', 'swc-register.js'),
        ...preloads,
        join(BACKEND, 'src', 'main.ts'),
      ];
  const child = spawn(process.execPath, args, { cwd: BACKEND, env, stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.pid !== undefined) raisePriority(child.pid);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000)));
  child.stderr?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await Promise.race([exited, delay(30_000)]);
    if (child.exitCode === null) child.kill('SIGKILL');
    if (options.keepDatabase) return;
    const connection = await connectDb();
    await connection.query(`DROP DATABASE IF EXISTS \`${database}\``);
    await connection.end();
  };
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    try {
      const res = await fetch(`${url}/health/live`);
      const body = (await res.json()) as { starting?: boolean };
      if (res.ok && !body.starting) return { url, database, child, stop };
    } catch {
      // not listening yet
    }
    await delay(200);
  }
  await stop();
  throw new Error(`the service did not start:\n${output}`);
}

export interface SandboxProcess {
  url: string;
  /** `http://127.0.0.1:<port>/{subdomain}` */
  baseUrlTemplate: string;
  /** A call to the sandbox's control API (`/__sandbox/...`). */
  control(method: string, path: string, body?: unknown): Promise<any>;
  stop(): Promise<void>;
}

/**
 * The amoCRM sandbox in a process of its own (at raised priority), so the clock its rate limit uses is not
 * stalled by the load generator's event loop.
 */
export async function startSandboxProcess(rps: number): Promise<SandboxProcess> {
  const port = await freePort();
  const args = compiled
    ? [join(BACKEND, 'dist', 'sandbox', 'amocrm', 'main.js')]
    : [
        '-r',
        join(BACKEND, 'test', 'support', 'swc-register.js'),
        join(BACKEND, 'sandbox', 'amocrm', 'main.ts'),
      ];
  const child = spawn(process.execPath, args, {
    cwd: BACKEND,
    env: { PATH: process.env.PATH ?? '', AMO_SANDBOX_PORT: String(port), AMO_SANDBOX_RPS: String(rps) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (child.pid !== undefined) raisePriority(child.pid);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const control = async (method: string, path: string, body?: unknown): Promise<any> => {
    const answer = await callJson(`${url}/__sandbox${path}`, { method, body });
    if (answer.status >= 400)
      throw new Error(`sandbox ${method} ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body;
  };
  const stop = async (): Promise<void> => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await Promise.race([exited, delay(10_000)]);
    if (child.exitCode === null) child.kill('SIGKILL');
  };
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline && child.exitCode === null) {
    try {
      await control('GET', '/health');
      return { url, baseUrlTemplate: `${url}/{subdomain}`, control, stop };
    } catch {
      await delay(200);
    }
  }
  await stop();
  throw new Error('the amoCRM sandbox did not start');
}

export interface JsonAnswer {
  status: number;
  headers: Headers;
  body: any;
}

export async function callJson(
  url: string,
  init: { method?: string; body?: unknown; token?: string; apiKey?: string } = {},
): Promise<JsonAnswer> {
  const headers: Record<string, string> = {};
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  if (init.apiKey) headers['x-api-key'] = init.apiKey;
  const res = await fetch(url, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // keep the text
  }
  return { status: res.status, headers: res.headers, body };
}

/** Logs in BENCH_ADMIN and makes an API key of `role` in its workspace. */
export async function adminAndKey(
  url: string,
  role: 'manager' | 'viewer',
): Promise<{ token: string; workspaceId: string; key: string }> {
  const login = await callJson(`${url}/api/v1/auth/login`, { body: BENCH_ADMIN });
  if (login.status !== 200) throw new Error(`login failed: ${login.status} ${JSON.stringify(login.body)}`);
  const token = login.body.accessToken as string;
  const key = await callJson(`${url}/api/v1/api-keys`, { token, body: { name: `bench ${role}`, role } });
  if (key.status !== 201) throw new Error(`API key failed: ${key.status} ${JSON.stringify(key.body)}`);
  return { token, workspaceId: login.body.user.workspaceId as string, key: key.body.key as string };
}

/** The priority (nice) of the processes a benchmark runs ahead of unrelated work. */
const RAISED = -10;

/**
 * Runs a process the benchmark started ahead of unrelated work on a shared machine (they use little CPU, but a
 * starved event loop delays requests and skews what the rate limit sees). Needs the right to raise priority;
 * without it the benchmark runs at normal priority and says so.
 */
export function raisePriority(pid = process.pid): boolean {
  try {
    setPriority(pid, RAISED);
    return true;
  } catch {
    return false;
  }
}

/**
 * The database server (every thread of it, and those it starts later, which inherit its acceptor's) at the raised
 * priority of the service that queries it, until the answer is called: a service ahead of the database it waits
 * for would measure its own priority, not its requests (a lookup's query queued behind the service's and the load
 * generator's threads). Answers whether it could, and puts back each thread's own priority.
 */
export function raiseDatabasePriority(): { raised: boolean; restore: () => void } {
  const before = new Map<number, number>();
  const servers = pidsOf(['mariadbd', 'mysqld']);
  for (const pid of servers)
    for (const task of tasksOf(pid))
      try {
        const priority = getPriority(task);
        setPriority(task, RAISED);
        before.set(task, priority);
      } catch {
        // not ours to raise (another user's server, or no right to): measured at its own priority
      }
  return {
    raised: before.size > 0,
    restore: () => {
      for (const pid of servers)
        for (const task of tasksOf(pid))
          try {
            // a thread started meanwhile goes back to its server's own priority
            const priority = before.get(task) ?? before.get(pid);
            if (priority !== undefined) setPriority(task, priority);
          } catch {
            // the thread has ended
          }
    },
  };
}

function tasksOf(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).map(Number);
  } catch {
    return [];
  }
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The q-quantile (0..1) of numbers, nearest rank. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

export function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
