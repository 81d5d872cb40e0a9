// The `npm start` demo (DEMO_MODE, AMO_SANDBOX_PORT, LPTRACKER_SANDBOX_PORT): without amoCRM credentials in .env,
// the amoCRM sandbox (backend/sandbox/demo.ts) and, unless LPTRACKER_BASE_URL is set, the LPTracker sandbox
// (backend/sandbox/demo-lptracker.ts) run in the start script's process; the service is pointed at them with
// AMOCRM_BASE_URL_TEMPLATE and LPTRACKER_BASE_URL, and both are connected through the REST API as an admin would.
// The service never loads a sandbox.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fail, say, warn } from './start-output.mjs';

/** Whether to run the demo: DEMO_MODE=on, or auto (the default) outside production without amoCRM credentials. */
export function demoWanted(env) {
  const mode = env.DEMO_MODE || 'auto';
  if (!['auto', 'on', 'off'].includes(mode)) fail(`DEMO_MODE must be auto, on or off (it is "${mode}")`);
  const role = process.env.APP_ROLE ?? env.APP_ROLE ?? 'all';
  if (role === 'worker' || mode === 'off') return false;
  if (env.AMO_DOMAIN && env.AMO_ACCESS_TOKEN) return false; // the real account from .env wins
  if (mode === 'on') return true;
  const anyCredentials = Boolean(
    env.AMO_DOMAIN || env.AMO_ACCESS_TOKEN || env.AMO_CLIENT_ID || env.AMO_CLIENT_SECRET,
  );
  return env.NODE_ENV !== 'production' && !anyCredentials;
}

function portSetting(env, name, fallback) {
  const text = env[name] || fallback;
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535)
    fail(`${name} must be a whole number between 0 and 65535 (0 picks a free port); it is "${text}"`);
  return port;
}

/** Starts one sandbox; null (and a warning naming the port setting) when it cannot. */
async function startSandbox(label, setting, port, start) {
  try {
    return await start(port);
  } catch (error) {
    warn(
      error?.code === 'EADDRINUSE'
        ? `demo mode: port ${port} (${setting}) is taken, so the ${label} sandbox was not started and nothing was connected`
        : `demo mode: the ${label} sandbox could not start: ${error instanceof Error ? error.message : String(error)}`,
    );
    return null;
  }
}

/**
 * Starts the sandboxes in this process: `{amocrm, lptracker, serviceEnv, close()}` (either sandbox null when it did
 * not start or is not wanted), or null when the amoCRM one could not start (then LPTracker is not started either:
 * its leads would have nowhere to go).
 */
export async function startDemo(root, env) {
  const load = (file) => createRequire(import.meta.url)(join(root, 'backend', 'dist', 'sandbox', file));
  const amocrm = await startSandbox(
    'amoCRM',
    'AMO_SANDBOX_PORT',
    portSetting(env, 'AMO_SANDBOX_PORT', '4010'),
    (port) => load('demo.js').startDemoAmocrm(port),
  );
  if (!amocrm) return null;
  say(`demo mode: amoCRM sandbox with sample data on ${amocrm.url}`);
  let lptracker = null;
  if (env.LPTRACKER_BASE_URL) {
    say(
      `demo mode: LPTRACKER_BASE_URL is set (${env.LPTRACKER_BASE_URL}), so the LPTracker sandbox is not started`,
    );
  } else {
    const port = portSetting(env, 'LPTRACKER_SANDBOX_PORT', '4020');
    lptracker = await startSandbox('LPTracker', 'LPTRACKER_SANDBOX_PORT', port, (p) =>
      load('demo-lptracker.js').startDemoLptracker(p),
    );
    if (lptracker) say(`demo mode: LPTracker sandbox with project «Сайт» on ${lptracker.url}`);
  }
  return {
    amocrm,
    lptracker,
    serviceEnv: { ...amocrm.serviceEnv, ...lptracker?.serviceEnv },
    close: () => Promise.all([amocrm.close(), lptracker?.close()]),
  };
}

/** Connects amoCRM, then LPTracker (its default mapping needs amoCRM's pipelines): `{amocrm, lptracker}` booleans. */
export async function connectDemo(demo, url, env) {
  if (!env.ADMIN_EMAIL || !env.ADMIN_PASSWORD) {
    warn('demo mode: ADMIN_EMAIL/ADMIN_PASSWORD are not in .env, so the demo accounts were not connected');
    return { amocrm: false, lptracker: false };
  }
  const admin = { email: env.ADMIN_EMAIL, password: env.ADMIN_PASSWORD };
  const report = (result) => {
    for (const line of result.lines) (result.connected ? say : warn)(`demo mode: ${line}`);
    return result.connected;
  };
  const amocrm = report(await demo.amocrm.connect(url, admin));
  const lptracker = amocrm && demo.lptracker ? report(await demo.lptracker.connect(url, admin)) : false;
  return { amocrm, lptracker };
}

/** The banner's lines about both CRMs. */
export function demoBannerLines(env, demo, connected) {
  const amocrm =
    env.AMO_DOMAIN && env.AMO_ACCESS_TOKEN
      ? `connected to ${env.AMO_DOMAIN} from .env`
      : connected.amocrm
        ? `demo sandbox with sample data on ${demo.amocrm.url} (set AMO_DOMAIN and AMO_ACCESS_TOKEN for a real account)`
        : 'not connected by .env (connect it in the console, or set AMO_DOMAIN and AMO_ACCESS_TOKEN)';
  const lines = [`  amoCRM:                 ${amocrm}`];
  if (connected.lptracker) {
    lines.push(
      `  LPTracker:              demo sandbox on ${demo.lptracker.url}, project «Сайт» (set LPTRACKER_BASE_URL for the real LPTracker)`,
      '  Make a test lead in LPTracker, as a manager would; it appears in amoCRM and on the Leads page (Сделки):',
      `    ${demo.lptracker.leadCommand()}`,
    );
  } else {
    lines.push("  LPTracker:              connect a login on the console's LPTracker page");
  }
  return lines;
}
