import { startAmoSandbox, type AmoSandbox } from '../../sandbox/amocrm';
import { startLpTrackerSandbox, type LpTrackerSandbox } from '../../sandbox/lptracker';
import { startTestApp, type TestApp } from '../support/test-app';
import { openBrowser, type BrowserSession } from './browser';

/** The console in a real browser beside both sandboxes: what the browser tests of the sync, rules and set-up need. */
export interface SyncWorld {
  amo: AmoSandbox;
  lp: LpTrackerSandbox;
  t: TestApp;
  b: BrowserSession;
  close(): Promise<void>;
}

/** amoCRM sandbox (no rate limit in the way), LPTracker sandbox, the app serving the console, and a browser. */
export async function startSyncWorld(): Promise<SyncWorld> {
  const amo = await startAmoSandbox({ port: 0, rps: 1000 });
  const lp = await startLpTrackerSandbox();
  const t = await startTestApp({
    env: {
      SERVE_CONSOLE: 'true',
      AMOCRM_BASE_URL_TEMPLATE: amo.baseUrlTemplate,
      AMOCRM_RPS: '50',
      LPTRACKER_BASE_URL: lp.url,
    },
  });
  const b = await openBrowser(t.url);
  return {
    amo,
    lp,
    t,
    b,
    async close() {
      await b.close();
      await t.close();
      await lp.close();
      await amo.close();
    },
  };
}
