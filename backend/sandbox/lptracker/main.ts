/**
 * `npm run sandbox:lptracker`: the LPTracker sandbox as a standalone server with a seeded `demo` account.
 * LPTRACKER_SANDBOX_PORT (4020), LPTRACKER_SANDBOX_HOST (127.0.0.1), LPTRACKER_SANDBOX_RPS (3; 0 = no limit).
 */
import { DEMO_LPTRACKER_ACCOUNT, startLpTrackerSandbox } from './lp-sandbox';

async function main(): Promise<void> {
  const port = Number(process.env.LPTRACKER_SANDBOX_PORT ?? 4020);
  const host = process.env.LPTRACKER_SANDBOX_HOST ?? '127.0.0.1';
  const rps = process.env.LPTRACKER_SANDBOX_RPS ? Number(process.env.LPTRACKER_SANDBOX_RPS) : undefined;
  const sandbox = await startLpTrackerSandbox({
    port,
    host,
    rps,
    seedDemo: true,
    log: (line) => console.log(line),
  });
  const demo = sandbox.account(DEMO_LPTRACKER_ACCOUNT.key);
  console.log(`LPTracker sandbox listening on ${sandbox.url}`);
  console.log(`  base URL:     ${sandbox.url} (LPTRACKER_BASE_URL)`);
  console.log(`  demo login:   ${demo.credentials.login}`);
  console.log(`  password:     ${demo.credentials.password}`);
  console.log(`  project:      ${demo.firstProject.id} («${demo.firstProject.name}»)`);
  console.log(`  control API:  ${sandbox.url}/__sandbox/accounts/${DEMO_LPTRACKER_ACCOUNT.key}`);
  const stop = (): void => {
    void sandbox.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
