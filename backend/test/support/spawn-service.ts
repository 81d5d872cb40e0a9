import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export interface SpawnedService {
  child: ChildProcess;
  url: string;
  output(): string;
  /** Resolves with the exit code when the process has exited. */
  exited: Promise<number | null>;
  kill(signal?: NodeJS.Signals): void;
}

const BACKEND = join(__dirname, '..', '..');
/** The real entry point, as `npm start` or a container runs it. */
export const MAIN_ENTRY = join(BACKEND, 'src/main.ts');

/**
 * Starts an entry point (the real src/main.ts unless a test entry such as `test/support/inbox-test-main.ts` is
 * given; compiled on the fly by SWC) in a child process, without waiting.
 */
export function startProcess(env: Record<string, string>, entry = MAIN_ENTRY): SpawnedService {
  const child = spawn(process.execPath, ['-r', join(BACKEND, 'test/support/swc-register.js'), entry], {
    cwd: BACKEND,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    url: `http://127.0.0.1:${env.PORT}`,
    output: () => output,
    exited,
    kill: (signal = 'SIGTERM') => child.kill(signal),
  };
}

/** Starts the service like `npm start` or a container would, and waits until it is fully live. */
export async function spawnService(
  env: Record<string, string>,
  timeoutMs = 30_000,
  entry = MAIN_ENTRY,
): Promise<SpawnedService> {
  const service = startProcess(env, entry);
  let exitCode: number | null | undefined;
  void service.exited.then((code) => (exitCode = code));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exitCode !== undefined) throw new Error(`service exited with ${exitCode}:\n${service.output()}`);
    try {
      const res = await fetch(`${service.url}/health/live`);
      const body = (await res.json()) as { starting?: boolean };
      if (res.ok && !body.starting) return service;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  service.kill('SIGKILL');
  throw new Error(`service did not become live within ${timeoutMs} ms:\n${service.output()}`);
}

/** Runs the entry point to completion (for start-up failures such as a bad environment). */
export async function runServiceToExit(
  env: Record<string, string>,
  timeoutMs = 20_000,
): Promise<{ code: number | null; output: string }> {
  const service = startProcess(env);
  const timer = setTimeout(() => service.kill('SIGKILL'), timeoutMs);
  const code = await service.exited;
  clearTimeout(timer);
  return { code, output: service.output() };
}
