import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { callJson, delay, raisePriority, type SandboxProcess } from './contacts-bench-support';

/**
 * The LPTracker sandbox in a process of its own for the LPTracker benchmark (like `startSandboxProcess` for
 * amoCRM), and the steps an admin takes to connect it. Self-contained, so it also runs from `dist/bench`.
 */

const compiled = __filename.endsWith('.js');
const BACKEND = compiled ? join(__dirname, '..', '..') : join(__dirname, '..');

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

/** `npm run sandbox:lptracker` in a child process (its per-request log lines dropped), at raised priority. */
export async function startLpSandboxProcess(): Promise<Omit<SandboxProcess, 'baseUrlTemplate'>> {
  const port = await freePort();
  const args = compiled
    ? [join(BACKEND, 'dist', 'sandbox', 'lptracker', 'main.js')]
    : [
        '-r',
        join(BACKEND, 'test', 'support', 'swc-register.js'),
        join(BACKEND, 'sandbox', 'lptracker', 'main.ts'),
      ];
  const child = spawn(process.execPath, args, {
    cwd: BACKEND,
    env: { PATH: process.env.PATH ?? '', LPTRACKER_SANDBOX_PORT: String(port) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (child.pid !== undefined) raisePriority(child.pid);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const control = async (method: string, path: string, body?: unknown): Promise<any> => {
    const answer = await callJson(`${url}/__sandbox${path}`, { method, body });
    if (answer.status >= 400)
      throw new Error(`LPTracker sandbox ${method} ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
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
      return { url, control, stop };
    } catch {
      await delay(200);
    }
  }
  await stop();
  throw new Error('the LPTracker sandbox did not start');
}

async function expectOk(
  what: string,
  answer: Promise<{ status: number; body: any }>,
): Promise<{ status: number; body: any }> {
  const res = await answer;
  if (res.status >= 300) throw new Error(`${what} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res;
}

/**
 * As an admin: amoCRM with a long-lived token, LPTracker with a login and project, our callback registered, and
 * the project's LPTracker → amoCRM mapping (the default made on connect) read back. Returns its version.
 */
export async function connectBothCrms(
  serviceUrl: string,
  token: string,
  amocrm: { subdomain: string; longLivedToken: string },
  lptracker: { login: string; password: string; projectId: number },
): Promise<{ mappingVersion: number }> {
  const api = `${serviceUrl}/api/v1`;
  await expectOk(
    'connecting amoCRM',
    callJson(`${api}/connections/amocrm`, { method: 'PUT', token, body: amocrm }),
  );
  await expectOk(
    'connecting LPTracker',
    callJson(`${api}/connections/lptracker`, { method: 'PUT', token, body: lptracker }),
  );
  await expectOk(
    'registering the LPTracker callback',
    callJson(`${api}/connections/lptracker/webhook`, { method: 'POST', token, body: {} }),
  );
  const mapping = await expectOk(
    'reading the LPTracker → amoCRM mapping',
    callJson(`${api}/mappings/${lptracker.projectId}/lptracker_to_amocrm`, { token }),
  );
  return { mappingVersion: Number(mapping.body.version) };
}
