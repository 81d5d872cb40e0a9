import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export interface SpawnedService {
  child: ChildProcess;
  url: string;
  output(): string;
  /** Resolves when the process has exited. */
  exited: Promise<number | null>;
  kill(signal?: NodeJS.Signals): void;
}

const BACKEND = join(__dirname, '..', '..');

/**
 * Starts the real service entry point (src/main.ts) in a child process with `env`, as `npm start` or a
 * container would, and waits until /health/live answers.
 */
export async function spawnService(env: Record<string, string>, timeoutMs = 30_000): Promise<SpawnedService> {
  const child = spawn(process.execPath, ['-r', join(BACKEND, 'test/support/swc-register.js'), join(BACKEND, 'src/main.ts')], {
    cwd: BACKEND,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${env.PORT}`;
  const service: SpawnedService = { child, url, output: () => output, exited, kill: (signal = 'SIGTERM') => child.kill(signal) };

  const deadline = Date.now() + timeoutMs;
  let exitCode: number | null | undefined;
  void exited.then((code) => (exitCode = code));
  while (Date.now() < deadline) {
    if (exitCode !== undefined) throw new Error(`service exited with ${exitCode}:\n${output}`);
    try {
      const res = await fetch(`${url}/health/live`);
      const body = (await res.json()) as { starting?: boolean };
      if (res.ok && !body.starting) return service;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  child.kill('SIGKILL');
  throw new Error(`service did not become live within ${timeoutMs} ms:\n${output}`);
}

/** Runs the entry point to completion (for start-up failures such as a bad environment). */
export function runServiceToExit(env: Record<string, string>, timeoutMs = 20_000): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', join(BACKEND, 'test/support/swc-register.js'), join(BACKEND, 'src/main.ts')], {
      cwd: BACKEND,
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`did not exit within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}
