import { startAmoSandbox, type AmoSandbox, type Pipeline } from '../../sandbox/amocrm';
import { startAmocrmTestApp } from './amocrm';
import { loginAdmin, type LoggedIn } from './auth';
import { connectWorkspace, type ConnectedWorkspace } from './contacts';
import type { TestApp } from './test-app';

/**
 * What the leads API e2e specs run against: the amoCRM sandbox in-process, a test app pointed at it, the admin's
 * workspace connected to a sandbox account (with manager and viewer API keys), and that account's main pipeline
 * and another one.
 */
export interface LeadsWorld {
  sandbox: AmoSandbox;
  t: TestApp;
  admin: LoggedIn;
  ws: ConnectedWorkspace;
  main: Pipeline;
  second: Pipeline;
  close(): Promise<void>;
}

export async function startLeadsWorld(): Promise<LeadsWorld> {
  const sandbox = await startAmoSandbox({ rps: 1000 });
  let t: TestApp | undefined;
  try {
    t = await startAmocrmTestApp(sandbox);
    const admin = await loginAdmin(t.url);
    const ws = await connectWorkspace(t, admin, sandbox);
    const app = t;
    return {
      sandbox,
      t,
      admin,
      ws,
      main: ws.amo.pipelines().find((pipeline) => pipeline.isMain)!,
      second: ws.amo.pipelines().find((pipeline) => !pipeline.isMain)!,
      async close() {
        await app.close();
        await sandbox.close();
      },
    };
  } catch (error) {
    await t?.close();
    await sandbox.close();
    throw error;
  }
}
