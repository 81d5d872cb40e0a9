/**
 * `npm run sandbox`: the amoCRM sandbox as a standalone server with a seeded `demo` account.
 * AMO_SANDBOX_PORT (4010), AMO_SANDBOX_HOST (127.0.0.1), AMO_SANDBOX_RPS (7).
 */
import { DEMO_ACCOUNT, startAmoSandbox } from './amo-sandbox';

async function main(): Promise<void> {
  const port = Number(process.env.AMO_SANDBOX_PORT ?? 4010);
  const host = process.env.AMO_SANDBOX_HOST ?? '127.0.0.1';
  const rps = process.env.AMO_SANDBOX_RPS ? Number(process.env.AMO_SANDBOX_RPS) : undefined;
  const sandbox = await startAmoSandbox({
    port,
    host,
    rps,
    seedDemo: true,
    log: (line) => console.log(line),
  });
  const demo = sandbox.account(DEMO_ACCOUNT.subdomain).credentials;
  console.log(`amoCRM sandbox listening on ${sandbox.url}`);
  console.log(`  base URL template: ${sandbox.baseUrlTemplate}`);
  console.log(`  demo account:      ${demo.baseUrl} (id ${demo.id})`);
  console.log(`  client_id:         ${demo.clientId}`);
  console.log(`  client_secret:     ${demo.clientSecret}`);
  console.log(`  long-lived token:  ${demo.longLivedToken}`);
  console.log(
    `  consent page:      ${sandbox.url}/oauth?client_id=${demo.clientId}&state=<state>&redirect_uri=<uri>`,
  );
  console.log(`  control API:       ${sandbox.url}/__sandbox/accounts/${demo.subdomain}`);
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
