import { startAmoSandbox, type AmoSandbox } from '../sandbox/amocrm';
import { connectLongLived, startAmocrmTestApp } from './support/amocrm';
import { MIRROR_EVENTS, subscribe } from './support/amocrm-inbound';
import { loginAdmin, secondWorkspace } from './support/auth';
import { call } from './support/http';
import { TestDb, waitFor } from './support/inbox';
import type { TestApp } from './support/test-app';

/**
 * A turned-off workspace loses nothing (issue #15 §3): amoCRM's webhooks to its address are still accepted into the
 * inbox and processed into the mirror while its admin's API calls answer 403 workspace-disabled; turned on again,
 * the admin sees those events and the lead.
 */
describe('a turned-off workspace still takes its amoCRM webhooks', () => {
  let sandbox: AmoSandbox;
  let t: TestApp;
  let db: TestDb;
  beforeAll(async () => {
    sandbox = await startAmoSandbox({ rps: 1000 });
    t = await startAmocrmTestApp(sandbox, { env: { WEBHOOK_RETRY_DELAYS: '100ms,200ms' } });
    db = await TestDb.open(t.config.db);
  });
  afterAll(async () => {
    await db?.close();
    await t?.close();
    await sandbox?.close();
  });

  it('accepts and processes the webhook while off, refuses the admin with 403, shows the events once on', async () => {
    const superAdmin = await loginAdmin(t.url);
    const other = await secondWorkspace(t.url, superAdmin, 'Выключенный');
    const id = other.user.workspaceId;
    await connectLongLived(t, other, sandbox.createAccount({ subdomain: 'offworkspace', rps: 1000 }));
    await subscribe(t, other, MIRROR_EVENTS);
    const amo = sandbox.account('offworkspace');

    const off = await call(`${t.url}/api/v1/workspaces/${id}/disable`, {
      method: 'POST',
      token: superAdmin.token,
    });
    expect(off.body).toMatchObject({ id, disabled: true });

    const lead = amo.manager.createLead({ name: 'Пришла пока выключен', price: 450 });
    await amo.whenDeliveriesIdle();
    const sent = amo.deliveries().filter((delivery) => delivery.event === 'add_lead');
    expect(sent.map((delivery) => [delivery.state, delivery.statusCode])).toEqual([['delivered', 200]]);
    await waitFor(
      async () =>
        (await db.count(
          `SELECT COUNT(*) FROM inbox_events WHERE workspace_id = ? AND source = 'amocrm' AND status = 'done'`,
          [id],
        )) >= 1,
      20_000,
      'the webhook of the turned-off workspace processed',
    );
    expect(
      await db.count(
        `SELECT COUNT(*) FROM inbox_events WHERE workspace_id = ? AND status NOT IN ('done', 'skipped')`,
        [id],
      ),
    ).toBe(0);
    expect(
      await db.count('SELECT COUNT(*) FROM leads WHERE workspace_id = ? AND amocrm_id = ? AND name = ?', [
        id,
        lead.id,
        'Пришла пока выключен',
      ]),
    ).toBe(1);

    for (const path of ['events', `leads?search=${encodeURIComponent('Пришла')}`]) {
      const refused = await call(`${t.url}/api/v1/${path}`, { token: other.token });
      expect(refused.status).toBe(403);
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
      expect(refused.body.type).toContain('workspace-disabled');
    }

    const on = await call(`${t.url}/api/v1/workspaces/${id}/enable`, {
      method: 'POST',
      token: superAdmin.token,
    });
    expect(on.body).toMatchObject({ id, disabled: false });
    const events = await call(`${t.url}/api/v1/events?limit=100`, { token: other.token });
    expect(events.status).toBe(200);
    const fromAmo = events.body.items.filter((item: { source: string }) => item.source === 'amocrm');
    expect(fromAmo.length).toBeGreaterThanOrEqual(1);
    expect(fromAmo.every((item: { status: string }) => item.status === 'done')).toBe(true);
    const leads = await call(`${t.url}/api/v1/leads?search=${encodeURIComponent('Пришла')}`, {
      token: other.token,
    });
    expect(leads.status).toBe(200);
    expect(JSON.stringify(leads.body)).toContain('Пришла пока выключен');
  });
});
