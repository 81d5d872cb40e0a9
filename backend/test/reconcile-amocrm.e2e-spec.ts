import { startAmoSandbox, type AmoSandbox } from '../sandbox/amocrm';
import { ReconcileService } from '../src/amocrm-inbound/reconcile.service';
import { userWithRole } from './support/auth';
import { call } from './support/http';
import {
  listEvents,
  mirrorContact,
  mirrorLead,
  nextSecond,
  publishedAbout,
  settle,
  startInboundWorld,
  type InboundWorld,
} from './support/amocrm-inbound';
import { waitFor } from './support/inbox';

/**
 * Reconciliation catches what webhooks missed: contacts and leads changed in amoCRM since the last good pass are
 * read (sync lane, paged) and fed through the inbox as `reconcile` events, processed like webhooks; a version the
 * mirror already has is not fed again.
 */
describe('reconciliation with amoCRM', () => {
  let sandbox: AmoSandbox;
  let world: InboundWorld;
  const status = async () =>
    (await call(`${world.t.url}/api/v1/connections/amocrm/reconcile`, { token: world.admin.token })).body;
  /** Asks for a pass like the console does and waits until it has finished and its events are processed. */
  const reconcileNow = async () => {
    const before = (await status()).lastRunAt;
    const res = await call(`${world.t.url}/api/v1/connections/amocrm/reconcile`, {
      token: world.admin.token,
      body: {},
    });
    expect(res).toMatchObject({ status: 202, body: { queued: true } });
    const done = await waitFor(async () => {
      const current = await status();
      return current.lastRunAt !== before && !current.running && current.lastSuccessAt ? current : undefined;
    });
    await settle(world);
    return done;
  };

  beforeAll(async () => {
    sandbox = await startAmoSandbox({ rps: 1000 });
    world = await startInboundWorld(sandbox, 'reconcile');
  });
  afterAll(async () => {
    await world?.close();
    await sandbox?.close();
  });

  it('does nothing for versions the webhooks already brought', async () => {
    expect(await status()).toEqual({
      lastRunAt: null,
      lastSuccessAt: null,
      since: null,
      contacts: null,
      leads: null,
      running: false,
      lastError: null,
    });
    const contact = world.amo.manager.createContact({
      name: 'Олег',
      custom_fields_values: [{ field_code: 'PHONE', values: [{ value: '89160000077', enum_code: 'MOB' }] }],
    });
    world.amo.manager.createLead({ name: 'Заявка Олега', _embedded: { contacts: [{ id: contact.id }] } });
    await settle(world);
    const from = world.published.length;

    const pass = await reconcileNow();
    expect(pass).toMatchObject({
      contacts: { seen: 1, queued: 0, upToDate: 1 },
      leads: { seen: 1, queued: 0, upToDate: 1 },
      lastError: null,
    });
    expect(new Date(pass.since).getTime()).toBeLessThan(new Date(pass.lastRunAt).getTime());
    expect(await listEvents(world, { source: 'reconcile' })).toEqual([]);
    expect(world.published.length).toBe(from);
  });

  it('catches changes whose webhooks never came, through the inbox, and only once', async () => {
    const { amo } = world;
    const unsubscribed = await call(`${world.t.url}/api/v1/connections/amocrm/webhook`, {
      method: 'DELETE',
      token: world.admin.token,
    });
    expect(unsubscribed.status).toBe(200);
    await nextSecond();
    const [contact] = amo.contacts();
    const [lead] = amo.leads();
    const pipeline = amo.pipelines()[0];
    const next = pipeline.statuses.find((s) => s.type === 0 && ![lead.status_id, 142, 143].includes(s.id))!;
    amo.manager.changeLeadStatus(lead.id, next.id);
    amo.manager.updateContact(contact.id, { name: 'Олег Смирнов' });
    const added = amo.manager.createLead({
      name: 'Новая без вебхука',
      _embedded: { contacts: [{ id: contact.id }] },
    });
    await amo.whenDeliveriesIdle();
    expect(await mirrorLead(world, added.id)).toBeNull();
    const from = world.published.length;

    const pass = await reconcileNow();
    expect(pass).toMatchObject({
      contacts: { seen: 1, queued: 1, upToDate: 0 },
      leads: { seen: 2, queued: 2, upToDate: 0 },
    });
    const mirroredContact = await mirrorContact(world, contact.id);
    expect(mirroredContact).toMatchObject({ name: 'Олег Смирнов' });
    expect(await mirrorLead(world, lead.id)).toMatchObject({ statusId: next.id, status: next.name });
    expect(await mirrorLead(world, added.id)).toMatchObject({
      name: 'Новая без вебхука',
      contactId: mirroredContact.id,
    });
    const events = await listEvents(world, { source: 'reconcile' });
    expect(events.map((event) => [event.type, event.status]).sort()).toEqual([
      ['contacts.reconcile', 'done'],
      ['leads.reconcile', 'done'],
      ['leads.reconcile', 'done'],
    ]);
    expect(publishedAbout(world, lead.id, from)).toEqual([
      expect.objectContaining({
        type: 'lead.stage_changed',
        source: 'reconcile',
        old: expect.objectContaining({ statusId: String(lead.status_id) }),
        new: { pipelineId: String(pipeline.id), statusId: String(next.id) },
      }),
    ]);
    expect(publishedAbout(world, contact.id, from).map((event) => [event.type, event.source])).toEqual([
      ['contact.updated', 'reconcile'],
    ]);
    expect(publishedAbout(world, added.id, from).map((event) => event.type)).toEqual(['lead.created']);

    // the next pass overlaps this one: it lists the same versions and feeds none of them
    const again = await reconcileNow();
    expect(again).toMatchObject({
      contacts: { seen: 1, queued: 0, upToDate: 1 },
      leads: { seen: 2, queued: 0, upToDate: 2 },
    });
    expect(await listEvents(world, { source: 'reconcile' })).toHaveLength(3);
  });

  it('runs one pass at a time per workspace, and only admins start one', async () => {
    const service = world.t.app.get(ReconcileService);
    const results = await Promise.all([service.run(world.workspaceId), service.run(world.workspaceId)]);
    expect(results.map((result) => result.outcome).sort()).toEqual(['busy', 'done']);
    const manager = await userWithRole(world.t.url, world.admin, 'manager');
    const refused = await call(`${world.t.url}/api/v1/connections/amocrm/reconcile`, {
      token: manager.token,
      body: {},
    });
    expect(refused.status).toBe(403);
    const seen = await call(`${world.t.url}/api/v1/connections/amocrm/reconcile`, { token: manager.token });
    expect(seen.status).toBe(200);
  });
});
