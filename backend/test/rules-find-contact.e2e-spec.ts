import { MIRROR_EVENTS, subscribe } from './support/amocrm-inbound';
import { appQuery } from './support/amocrm';
import { call } from './support/http';
import { waitFor } from './support/inbox';
import { lptrackerWebhook } from './support/lptracker-inbound';
import { startSyncKit, type SyncKit } from './support/lptracker-sync';

/**
 * `find_or_create_contact` as a rule's only action (issue #13 §1), live, with both sandboxes, real MariaDB and Redis.
 * On an LPTracker event the sync has usually linked the contact already (the action then answers it "by the
 * event"); a lead deleted in LPTracker that was never synced has no link, so the action itself looks the contact
 * up: found in the mirror by the second phone of an amoCRM contact (no amoCRM search, no create), or created once in
 * amoCRM and mirrored, and a replay of the event creates nothing again.
 */
const BUSY = "SELECT COUNT(*) AS n FROM inbox_events WHERE status IN ('received', 'queued', 'processing')";

describe('Rules: find_or_create_contact alone', () => {
  let kit: SyncKit;
  let ruleId: string;
  /** LPTracker leads made while our callback was off (never synced): the first by a known, the second a new phone. */
  const leads: { id: number }[] = [];

  const settle = async (): Promise<void> => {
    for (let round = 0; round < 3; round += 1) {
      await kit.ws.amo.whenDeliveriesIdle();
      await kit.lp().whenDeliveriesIdle();
      await waitFor(
        async () => Number((await appQuery(kit.t, BUSY, []))[0].n) === 0,
        30_000,
        'every event finished',
      );
    }
  };
  const actionsOf = async (eventId: string): Promise<any[]> => {
    const [row] = await appQuery(kit.t, 'SELECT changes FROM inbox_events WHERE id = ?', [eventId]);
    return JSON.parse(row.changes)[0].rules[0].actions;
  };
  const deletedEvent = async (leadId: number): Promise<any> => {
    const events = await kit.aboutLead(leadId);
    expect(events).toHaveLength(1);
    return events[0];
  };
  /** Our amoCRM contact searches and writes since the last `clearRequests`. */
  const contactTraffic = () =>
    kit.ws.amo
      .requests()
      .map((request) => `${request.method} ${request.path.split('?')[0]}`)
      .filter((line) => line.includes('/contacts') || !line.startsWith('GET'));

  beforeAll(async () => {
    kit = await startSyncKit();
    await subscribe(kit.t, kit.admin, MIRROR_EVENTS);
    expect((await lptrackerWebhook(kit.t.url, kit.admin.token, 'DELETE')).status).toBe(200);
    leads.push(
      kit.newLead('Старый клиент', '+7 916 300-00-02'),
      kit.newLead('Новый клиент', '+7 916 300-00-09'),
    );
    await kit.lp().whenDeliveriesIdle();
    expect((await lptrackerWebhook(kit.t.url, kit.admin.token, 'POST')).status).toBe(200);
    const saved = await call(`${kit.t.url}/api/v1/rules`, {
      token: kit.admin.token,
      body: {
        name: 'Контакт удалённой заявки',
        enabled: true,
        priority: 10,
        trigger: { source: 'lptracker', events: ['lead.deleted'], changedFields: [] },
        conditions: { all: [{ field: 'contact.phone', op: 'not_empty' }] },
        actions: [{ type: 'find_or_create_contact' }],
      },
    });
    expect(saved.status).toBe(201);
    ruleId = saved.body.id;
  }, 120_000);

  afterAll(async () => {
    await kit?.close();
  });

  it('finds the contact mirrored with the phone as its second one: no amoCRM search or create; the trace names it', async () => {
    const known = kit.ws.amo.manager.createContact({
      name: 'Пётр Иванов',
      custom_fields_values: [
        {
          field_code: 'PHONE',
          values: [
            { value: '+7 916 300-00-01', enum_code: 'WORK' },
            { value: '+7 916 300-00-02', enum_code: 'MOB' },
          ],
        },
      ],
    });
    await settle();
    const mirrored = await appQuery(kit.t, 'SELECT id FROM contacts WHERE amocrm_id = ?', [known.id]);
    expect(mirrored).toHaveLength(1);
    const contactsBefore = kit.ws.amo.contacts().length;
    kit.ws.amo.clearRequests();

    kit.lp().manager.deleteLead(leads[0].id);
    await settle();

    const event = await deletedEvent(leads[0].id);
    expect(event.status).toBe('done');
    expect(await actionsOf(event.id)).toEqual([
      expect.objectContaining({
        type: 'find_or_create_contact',
        outcome: 'done',
        answer: expect.objectContaining({
          contactId: known.id,
          contactMirrorId: mirrored[0].id,
          created: false,
        }),
      }),
    ]);
    expect(contactTraffic()).toEqual([]);
    expect(kit.ws.amo.contacts()).toHaveLength(contactsBefore);
    const steps = (await kit.detail(event.id)).history.at(-1).steps;
    const names = steps.map((step: { name: string }) => step.name);
    expect(names).toContain('rules: amoCRM find or create the contact');
    expect(steps).toContainEqual(
      expect.objectContaining({
        name: 'rules: amoCRM contact found',
        detail: { amocrmContactId: known.id, name: 'Пётр Иванов' },
      }),
    );
  });

  it('creates an unknown contact once in amoCRM and mirrors it; a replay of the event creates nothing again', async () => {
    kit.ws.amo.clearRequests();
    kit.lp().manager.deleteLead(leads[1].id);
    await settle();

    const event = await deletedEvent(leads[1].id);
    expect(event.status).toBe('done');
    const [action] = await actionsOf(event.id);
    expect(action).toMatchObject({
      type: 'find_or_create_contact',
      outcome: 'done',
      answer: { created: true },
    });
    const amocrmId = action.answer.contactId as number;
    expect(contactTraffic().filter((line) => line === 'POST /api/v4/contacts')).toHaveLength(1);
    const created = (await kit.detail(event.id)).history.at(-1).steps;
    expect(created).toContainEqual(
      expect.objectContaining({
        name: 'rules: amoCRM contact created',
        detail: expect.objectContaining({ amocrmContactId: amocrmId }),
      }),
    );
    expect(kit.ws.amo.contact(amocrmId)?.name).toBe('Пётр Иванов');
    const [row] = await appQuery(kit.t, 'SELECT id FROM contacts WHERE amocrm_id = ?', [amocrmId]);
    expect(row.id).toBe(action.answer.contactMirrorId);

    kit.ws.amo.clearRequests();
    const replay = await call(`${kit.t.url}/api/v1/events/${event.id}/replay`, {
      token: kit.admin.token,
      body: { mode: 'as_received' },
    });
    expect(replay.status).toBeLessThan(300);
    await settle();
    expect(contactTraffic()).toEqual([]);
    const named = kit.ws.amo
      .contacts()
      .filter((contact) => contact.id === amocrmId || contact.name === 'Пётр Иванов');
    expect(named).toHaveLength(2);
    const steps = (await kit.detail(event.id)).history
      .at(-1)
      .steps.map((step: { name: string }) => step.name);
    expect(steps).toContain('rules: action 0 (find_or_create_contact) already done');
    expect(steps).not.toContain('rules: amoCRM contact created');
    const runs = await appQuery(kit.t, 'SELECT COUNT(*) AS n FROM rule_action_runs WHERE rule_id = ?', [
      ruleId,
    ]);
    expect(Number(runs[0].n)).toBe(2);
  });
});
