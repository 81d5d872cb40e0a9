import { startAmoSandbox, type AmoSandbox } from '../sandbox/amocrm';
import { amocrmApi, connectLongLived, startAmocrmTestApp } from './support/amocrm';
import { loginAdmin } from './support/auth';

/**
 * The amoCRM client under a 429 storm, with an app of its own (AMOCRM_RPS=7). A file of its own: passport
 * strategies are process-wide, so a second app started and closed among other tests' would stop their app from
 * logging users in (the test used to have to run last in amocrm-client.e2e-spec.ts).
 */
describe('amoCRM client: a 429 storm', () => {
  let sandbox: AmoSandbox;

  beforeAll(async () => {
    sandbox = await startAmoSandbox({ rps: 1000 });
  });
  afterAll(async () => {
    await sandbox?.close();
  });

  it('slows down under a 429 storm and completes every call without getting blocked', async () => {
    const storm = await startAmocrmTestApp(sandbox, { env: { AMOCRM_RPS: '7' } });
    try {
      const stormAdmin = await loginAdmin(storm.url);
      const account = sandbox.createAccount({ subdomain: 'storm', rps: 3, blockAfter429s: 1000 });
      await connectLongLived(storm, stormAdmin, account);
      const handle = sandbox.account('storm');
      handle.clearRequests();
      const calls = Array.from({ length: 12 }, (_, i) =>
        amocrmApi(storm, stormAdmin.user.workspaceId, i % 2 ? 'sync' : 'interactive').getAccount(),
      );
      const results = await Promise.allSettled(calls);
      expect(results.filter((result) => result.status === 'rejected')).toEqual([]);
      const statuses = handle.requests().map((entry) => entry.status);
      expect(statuses.filter((code) => code === 429).length).toBeGreaterThan(0);
      expect(statuses.filter((code) => code === 200)).toHaveLength(12);
      expect(statuses).not.toContain(403);
      expect(handle.blocked).toBe(false);
    } finally {
      await storm.close();
    }
  });
});
