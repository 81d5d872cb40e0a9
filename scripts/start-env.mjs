// The settings `npm start` reads itself: the .env file, with the shell winning over it, and the address the service
// will have. Pure functions (test/demo.e2e-spec.ts runs them in a child node process).

/** Settings only the start script reads (the demo's), taken from the shell even when .env lacks them. */
const READ_HERE = [
  ...[
    'NODE_ENV',
    'PORT',
    'PUBLIC_URL',
    'DEMO_MODE',
    'AMO_SANDBOX_PORT',
    'LPTRACKER_SANDBOX_PORT',
    'LPTRACKER_BASE_URL',
  ],
  ...['AMO_DOMAIN', 'AMO_ACCESS_TOKEN', 'AMO_CLIENT_ID', 'AMO_CLIENT_SECRET'],
];

/** `{env, file}`: the effective settings (shell over .env) and the .env file's own values. */
export function readSettings(envFileText, shell) {
  const file = {};
  for (const line of envFileText.split('\n')) {
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (match) file[match[1]] = match[2];
  }
  const keys = [...new Set([...Object.keys(file), ...READ_HERE])].filter((key) => shell[key] !== undefined);
  return { env: { ...file, ...Object.fromEntries(keys.map((key) => [key, shell[key]])) }, file };
}

/**
 * The port the service listens on, the local URL this script calls, and the address the service gives out (the
 * banner, the webhook URLs the sandboxes call). A PUBLIC_URL in .env that is just `http://localhost:<the .env's
 * PORT>` (as written on first run) follows a PORT set in the shell; any other PUBLIC_URL is kept as it is.
 */
export function serviceAddress(env, file, shell) {
  const port = env.PORT || '3000';
  const local = `http://localhost:${port}`;
  const publicUrl = (env.PUBLIC_URL || '').replace(/\/+$/, '');
  const followsPort =
    shell.PUBLIC_URL === undefined && publicUrl === `http://localhost:${file.PORT || '3000'}`;
  return { port, url: local, publicUrl: !publicUrl || followsPort ? local : publicUrl };
}
