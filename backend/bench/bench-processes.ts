import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Redis from 'ioredis';
import { SERVICE_NODE_FLAGS } from '../src/bootstrap/runtime-flags';
import { delay } from './contacts-bench-support';

/**
 * The processes of a benchmark run from TypeScript: the api and worker (`bench-main.ts`, the real `src/main.ts`),
 * each waited for until it answers and stopped with SIGTERM (SIGKILL after 30 s);
 * and the cleanup of the run's Redis keys.
 */

const BACKEND = findBackend();

export interface Service {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

export function spawnNode(
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

export async function startService(env: Record<string, string>): Promise<Service> {
  // the production flags, then BENCH_NODE_FLAGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") for the api and worker
  const flags = [...SERVICE_NODE_FLAGS, ...(process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean)];
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

export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  await exited;
  clearTimeout(timer);
}

export async function deleteRedisKeys(url: string, prefix: string): Promise<void> {
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

export async function waitUntil(probe: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe()) return;
    await delay(200);
  }
  throw new Error(`not ready within ${timeoutMs} ms`);
}

function findBackend(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'bench', 'inbox-intake.bench.ts')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}
