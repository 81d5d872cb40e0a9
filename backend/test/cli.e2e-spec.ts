import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { login } from './support/auth';
import { startTestApp, testEnv } from './support/test-app';
import { dropTestDatabase } from './support/test-database';

function runCli(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  const backend = join(__dirname, '..');
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-r', './test/support/swc-register.js', 'src/cli.ts', ...args], {
      cwd: backend,
      env: { PATH: process.env.PATH ?? '', ...env },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => resolve({ code, output }));
  });
}

describe('npm run cli', () => {
  it('migrates, then creates a super-admin who can log in; a second run changes nothing', async () => {
    const { env, db } = await testEnv();
    const { ADMIN_EMAIL: _e, ADMIN_PASSWORD: _p, ...withoutAdmin } = env;
    try {
      const migrate = await runCli(['migrate'], withoutAdmin);
      expect(migrate).toMatchObject({ code: 0 });
      expect(migrate.output).toContain('Applied:');

      const weak = await runCli(
        ['create-admin', '--email', 'boss@example.test', '--password', 'short'],
        withoutAdmin,
      );
      expect(weak.code).toBe(1);
      expect(weak.output.trim()).toBe('The password must be at least 10 characters long.');

      const created = await runCli(
        ['create-admin', '--email', 'boss@example.test', '--password', 'Very-long-secret-1'],
        withoutAdmin,
      );
      expect(created).toEqual({ code: 0, output: 'Created the super-admin boss@example.test.\n' });
      const again = await runCli(
        ['create-admin', '--email', 'boss@example.test', '--password', 'Very-long-secret-1'],
        withoutAdmin,
      );
      expect(again.code).toBe(1);

      const app = await startTestApp({ database: db });
      try {
        const session = await login(app.url, 'boss@example.test', 'Very-long-secret-1');
        expect(session.user).toMatchObject({ role: 'admin', isSuperAdmin: true });
      } finally {
        await app.close();
      }
    } finally {
      await dropTestDatabase(db);
    }
  }, 60_000);
});
