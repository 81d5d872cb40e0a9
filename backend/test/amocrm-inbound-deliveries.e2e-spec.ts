import { startAmoSandbox, type AmoSandbox } from '../sandbox/amocrm';
import { createApiKey } from './support/contacts';
import { call } from './support/http';
import {
  amoForm,
  eventDetail,
  listEvents,
  mirrorContact,
  mirrorLead,
  postHook,
  publishedAbout,
  settle,
  startInboundWorld,
  type InboundWorld,
} from './support/amocrm-inbound';
import { waitFor } from './support/inbox';

/**
 * amoCRM deliveries the body alone does not settle: a partial update read from amoCRM, a delivery from another
 * account, our own write coming back, and an event that failed while amoCRM was unavailable, replayed once it is
 * back. The shapes of the bodies themselves: amocrm-inbound-payloads.e2e-spec.ts.
 */
describe('amoCRM webhook deliveries: reads from amoCRM, foreign accounts, echoes, replay', () => {
  let sandbox: AmoSandbox;
  let world: InboundWorld;
  const inboxCount = () =>
    world.db.count('SELECT COUNT(*) FROM inbox_events WHERE workspace_id = ?', [world.workspaceId]);

  beforeAll(async () => {
    sandbox = await startAmoSandbox({ rps: 1000 });
    world = await startInboundWorld(sandbox, 'deliveries');
  });
  afterAll(async () => {
    await world?.close();
    await sandbox?.close();
  });

  it('reads a partial update from amoCRM and says why in the trace', async () => {
    const lead = world.amo.manager.createLead({ name: 'Лид из amoCRM', price: 700 });
    await settle(world);
    const res = await postHook(
      world.hookUrl,
      amoForm(world.amo, [
        ['leads[update][0][id]', lead.id],
        ['leads[update][0][price]', 700],
        ['leads[update][0][last_modified]', lead.updated_at],
      ]),
    );
    await settle(world);
    const detail = await eventDetail(world, res.body.id);
    expect(detail.status).toBe('done');
    expect(detail.history.at(-1).steps).toContainEqual(
      expect.objectContaining({
        name: `fetch lead ${lead.id}`,
        detail: { reason: expect.stringContaining('the payload has no name, status_id, pipeline_id') },
      }),
    );
    expect(await mirrorLead(world, lead.id)).toMatchObject({ name: 'Лид из amoCRM', price: 700 });
  });

  it('refuses a delivery from another amoCRM account with 403 and records it', async () => {
    const before = await inboxCount();
    const body = new URLSearchParams([
      ['leads[add][0][id]', '93000001'],
      ['leads[add][0][name]', 'Чужая'],
      ['account[subdomain]', 'someone-else'],
      ['account[id]', '99999999'],
    ]).toString();
    const res = await postHook(world.hookUrl, body);
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ type: expect.stringContaining('account-mismatch') });
    expect(await inboxCount()).toBe(before);
    const rejections = await world.db.rows(
      'SELECT reason, detail FROM inbox_rejections WHERE workspace_id = ? AND source = ?',
      [world.workspaceId, 'amocrm'],
    );
    expect(rejections).toEqual([
      { reason: 'account_mismatch', detail: expect.stringContaining('99999999 (someone-else)') },
    ]);
    const stats = await call(`${world.t.url}/api/v1/events/stats`, { token: world.admin.token });
    expect(stats.body.rejectedLastHour).toBe(1);
  });

  it('skips our own write coming back as an echo', async () => {
    const key = await createApiKey(world.t, world.admin, 'manager');
    const created = await call(`${world.t.url}/api/v1/contacts`, {
      apiKey: key,
      body: { name: 'Клиент из приложения', phone: '+7 916 400-00-01' },
    });
    expect(created.status).toBe(201);
    const since = world.published.length;
    await settle(world);
    const [event] = await listEvents(world, { type: 'contacts.add', search: String(created.body.amocrmId) });
    expect(event).toMatchObject({ status: 'skipped', skipReason: 'echo' });
    expect(publishedAbout(world, created.body.amocrmId, since)).toEqual([]);
    expect(await mirrorContact(world, created.body.amocrmId)).toMatchObject({
      name: 'Клиент из приложения',
      phones: ['+79164000001'],
      source: 'api',
    });
  });

  it('fails an event whose read from amoCRM cannot succeed, and replays it once amoCRM is back', async () => {
    const lead = world.amo.manager.createLead({ name: 'Ждёт оплаты', price: 900 });
    await settle(world);
    world.amo.block(); // every call answers 403: the connection is paused
    const res = await postHook(
      world.hookUrl,
      amoForm(world.amo, [
        ['leads[update][0][id]', lead.id],
        ['leads[update][0][price]', 900],
        ['leads[update][0][last_modified]', lead.updated_at],
      ]),
    );
    const failed = await waitFor(async () => {
      const detail = await eventDetail(world, res.body.id);
      return detail.status === 'failed' ? detail : undefined;
    });
    expect(failed.history.map((run: any) => run.result)).toEqual(['retry', 'retry', 'failed']);
    expect(failed.history.at(-1).error).toMatch(/paused|403|refused/i);
    const connection = await call(`${world.t.url}/api/v1/connections/amocrm`, { token: world.admin.token });
    expect(connection.body.status).toBe('paused');

    world.amo.unblock();
    const resumed = await call(`${world.t.url}/api/v1/connections/amocrm/resume`, {
      token: world.admin.token,
      body: {},
    });
    expect(resumed.status).toBe(200);
    const replay = await call(`${world.t.url}/api/v1/events/${res.body.id}/replay`, {
      token: world.admin.token,
      body: {},
    });
    expect(replay.status).toBe(202);
    await settle(world);
    expect(await eventDetail(world, res.body.id)).toMatchObject({ status: 'done' });
    expect(await mirrorLead(world, lead.id)).toMatchObject({ name: 'Ждёт оплаты', price: 900 });
  });
});
