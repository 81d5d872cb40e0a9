#!/usr/bin/env node
// `npm start`: one command from a fresh clone to a running service on this machine.
// Installs dependencies if missing, writes a local .env with fresh secrets on first run, makes sure
// MariaDB/MySQL and Redis answer (starting the local ones if they are installed but down), builds what is
// stale, then runs API + worker + console in one process (APP_ROLE=all) and prints how to log in.
// The demo (DEMO_MODE, AMO_SANDBOX_PORT, LPTRACKER_SANDBOX_PORT; scripts/start-demo.mjs): without amoCRM credentials
// in .env, the amoCRM and LPTracker sandboxes run in this script's process, the service is pointed at them and both
// are connected through the REST API, as an admin would. The service never loads a sandbox.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { connect } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connectDemo, demoBannerLines, demoWanted, startDemo } from './start-demo.mjs';
import { readSettings, serviceAddress } from './start-env.mjs';
import { fail, say } from './start-output.mjs';

const require = createRequire(import.meta.url);

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options });
  if (result.status !== 0) fail(`${command} ${args.join(' ')} failed (exit ${result.status ?? result.signal})`);
}

function checkNode() {
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major < 20 || (major === 20 && minor < 19)) fail(`Node.js 20.19 or newer is needed; this is ${process.versions.node}`);
}

function installDependencies() {
  const marker = join(root, 'node_modules', '.package-lock.json');
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(join(root, 'package-lock.json')).mtimeMs) return;
  say('installing dependencies (npm ci)…');
  run('npm', ['ci', '--no-audit', '--no-fund']);
}

function ensureEnvFile() {
  const envFile = join(root, '.env');
  if (!existsSync(envFile)) {
    const adminPassword = `${randomBytes(4).toString('hex')}-${randomBytes(4).toString('hex')}-${randomBytes(2).toString('hex')}`;
    writeFileSync(
      envFile,
      [
        '# Written by `npm start` on first run for this machine. Keep it private; see .env.example for every setting.',
        'NODE_ENV=development',
        'PORT=3000',
        'PUBLIC_URL=http://localhost:3000',
        'APP_ROLE=all',
        'SERVE_CONSOLE=true',
        'DB_HOST=127.0.0.1',
        'DB_PORT=3306',
        'DB_USER=root',
        'DB_PASSWORD=',
        'DB_NAME=amocrm_integration',
        'REDIS_URL=redis://127.0.0.1:6379',
        `JWT_SECRET=${randomBytes(48).toString('base64')}`,
        `ENCRYPTION_KEY=${randomBytes(32).toString('base64')}`,
        'LOG_LEVEL=info',
        'ADMIN_EMAIL=admin@example.com',
        `ADMIN_PASSWORD=${adminPassword}`,
        '# auto: without AMO_DOMAIN/AMO_ACCESS_TOKEN local amoCRM and LPTracker sandboxes with demo data are started and connected',
        'DEMO_MODE=auto',
        '',
      ].join('\n'),
      { mode: 0o600 },
    );
    say('wrote .env with fresh secrets and a first admin login');
  }
  return readSettings(readFileSync(envFile, 'utf8'), process.env);
}

function reachable(host, port) {
  return new Promise((resolve) => {
    const socket = connect({ host, port: Number(port), timeout: 1500 });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
    socket.once('error', () => resolve(false));
  });
}

async function waitReachable(host, port, seconds) {
  for (let i = 0; i < seconds * 2; i++) {
    if (await reachable(host, port)) return true;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return false;
}

const isLocal = (host) => ['127.0.0.1', 'localhost', '::1'].includes(host);

async function ensureDatabase(env) {
  let host = env.DB_HOST || '127.0.0.1';
  let port = env.DB_PORT || '3306';
  if (env.DATABASE_URL) {
    const url = new URL(env.DATABASE_URL);
    host = url.hostname;
    port = url.port || '3306';
  }
  if (await reachable(host, port)) return;
  if (isLocal(host) && existsSync('/usr/sbin/mariadbd')) {
    say('MariaDB is not running: starting it…');
    spawnSync('start-stop-daemon', ['--start', '--oknodo', '--background', '--exec', '/usr/sbin/mariadbd'], { stdio: 'inherit' });
    if (await waitReachable(host, port, 30)) return;
  }
  fail(`MySQL/MariaDB does not answer at ${host}:${port}. Start it, or set DB_HOST/DB_PORT (or DATABASE_URL) in .env.`);
}

async function ensureRedis(env) {
  const url = new URL(env.REDIS_URL || 'redis://127.0.0.1:6379');
  const port = url.port || '6379';
  if (await reachable(url.hostname, port)) return;
  if (isLocal(url.hostname) && spawnSync('which', ['redis-server']).status === 0) {
    say('Redis is not running: starting it…');
    spawnSync('redis-server', ['--daemonize', 'yes', '--bind', '127.0.0.1', '--port', port, '--save', '', '--appendonly', 'no'], { stdio: 'inherit' });
    if (await waitReachable(url.hostname, port, 15)) return;
  }
  fail(`Redis does not answer at ${url.hostname}:${port}. Start it, or set REDIS_URL in .env.`);
}

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function buildIfStale(workspace, sources, outputs) {
  const newestSource = Math.max(...sources.map((s) => newestMtime(join(root, s))));
  const stale = outputs.some((output) => !existsSync(join(root, output)) || newestSource > statSync(join(root, output)).mtimeMs);
  if (!stale) return;
  say(`building ${workspace}…`);
  run('npm', ['run', 'build', '-w', workspace]);
}

async function waitReady(url, child) {
  for (let i = 0; i < 240; i++) {
    if (child.exitCode !== null) fail(`the service stopped (exit ${child.exitCode}); see the lines above`);
    try {
      const res = await fetch(`${url}/health/ready`);
      if (res.ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return false;
}

async function main() {
  checkNode();
  installDependencies();
  const { env, file } = ensureEnvFile();
  await ensureDatabase(env);
  await ensureRedis(env);
  buildIfStale('backend', ['backend/src', 'backend/sandbox', 'backend/bench'], ['backend/dist/src/main.js', 'backend/dist/sandbox/demo.js']);
  buildIfStale('admin-ui', ['admin-ui/src'], ['admin-ui/dist/admin-ui/browser/index.html']);
  const demo = demoWanted(env) ? await startDemo(root, env) : null;
  const { port, url, publicUrl } = serviceAddress(env, file, process.env);

  say('starting API + worker + console (APP_ROLE=all)…');
  // the Node flags the service runs with everywhere (backend/src/bootstrap/runtime-flags.ts)
  const { SERVICE_NODE_FLAGS } = require(join(root, 'backend', 'dist', 'src', 'bootstrap', 'runtime-flags.js'));
  const child = spawn(process.execPath, [...SERVICE_NODE_FLAGS, join(root, 'backend', 'dist', 'src', 'main.js')], {
    cwd: root,
    stdio: 'inherit',
    env: {
      ...process.env,
      APP_ROLE: process.env.APP_ROLE ?? env.APP_ROLE ?? 'all',
      PORT: port,
      PUBLIC_URL: publicUrl,
      ...demo?.serviceEnv,
    },
  });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill('SIGTERM'));
  child.on('exit', (code) => {
    const exit = () => process.exit(code ?? 0);
    if (demo) demo.close().then(exit, exit);
    else exit();
  });

  if (await waitReady(url, child)) {
    const connected = demo ? await connectDemo(demo, url, env) : { amocrm: false, lptracker: false };
    const lines = [
      '',
      `  The console is ready:   ${publicUrl}`,
      `  Log in as:              ${env.ADMIN_EMAIL ?? '(set ADMIN_EMAIL in .env)'}`,
      `  Password:               ${env.ADMIN_PASSWORD ? `${env.ADMIN_PASSWORD}   (from .env, unless you changed it in the console)` : '(set ADMIN_PASSWORD in .env)'}`,
      `  REST API docs:          ${url}/api/docs`,
      ...demoBannerLines(env, demo, connected),
      '  Stop with Ctrl+C.',
      '',
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  }
}

main().catch((error) => fail(error instanceof Error ? error.message : String(error)));
