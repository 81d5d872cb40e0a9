import { startAmoSandbox, type AmoSandbox } from '../sandbox/amocrm';
import {
  eventDetail,
  listEvents,
  mirrorContact,
  mirrorLead,
  nextSecond,
  publishedAbout,
  settle,
  startInboundWorld,
  type InboundWorld,
} from './support/amocrm-inbound';

/**
 * amoCRM webhooks delivered for real by the sandbox (a manager working in amoCRM) land in the local mirror:
 * contacts and leads added, updated, moved, handed over, deleted and restored, with the domain events each
 * change means.
 */
describe('amoCRM webhooks from the sandbox → the mirror', () => {
  let sandbox: AmoSandbox;
  let world: InboundWorld;

  beforeAll(async () => {
    sandbox = await startAmoSandbox({ rps: 1000 });
    world = await startInboundWorld(sandbox, 'inbound');
  });
  afterAll(async () => {
    await world?.close();
    await sandbox?.close();
  });

  it('follows a contact and its lead through a manager’s day in amoCRM', async () => {
    const { amo } = world;
    const since = world.published.length;
    const contact = amo.manager.createContact({
      name: 'Иван Петров',
      custom_fields_values: [
        { field_code: 'PHONE', values: [{ value: '8 (916) 700-00-01', enum_code: 'MOB' }] },
        { field_code: 'EMAIL', values: [{ value: 'Ivan.Petrov@Example.RU', enum_code: 'WORK' }] },
      ],
    });
    const select = amo.leadFields().find((field) => field.type === 'select')!;
    const date = amo.leadFields().find((field) => field.type === 'date')!;
    const pipeline = amo.pipelines()[0];
    const lead = amo.manager.createLead({
      name: 'Кухня на заказ',
      price: 250000,
      custom_fields_values: [
        { field_id: select.id, values: [{ enum_id: select.enums![1].id }] },
        { field_id: date.id, values: [{ value: 1542067200 }] },
      ],
      _embedded: { tags: [{ name: 'сайт' }], contacts: [{ id: contact.id }] },
    });
    await settle(world);

    const mirroredContact = await mirrorContact(world, contact.id);
    expect(mirroredContact).toMatchObject({
      name: 'Иван Петров',
      phone: '+79167000001',
      phones: ['+79167000001'],
      emails: ['ivan.petrov@example.ru'],
      responsibleUserId: amo.managerUserId,
      source: 'amocrm',
      deletedAt: null,
    });
    const firstStage = pipeline.statuses.find((status) => status.id === lead.status_id)!;
    expect(await mirrorLead(world, lead.id)).toMatchObject({
      name: 'Кухня на заказ',
      price: 250000,
      statusId: firstStage.id,
      status: firstStage.name,
      pipelineId: pipeline.id,
      tags: ['сайт'],
      contactId: mirroredContact.id,
      customFields: [
        {
          fieldId: select.id,
          fieldName: select.name,
          values: [{ value: select.enums![1].value, enumId: select.enums![1].id }],
        },
        { fieldId: date.id, values: [{ value: 1542067200 }] },
      ],
      source: 'amocrm',
    });
    // the lead's payload does not name its contacts: read once from the API, and the trace says why
    const [added] = await listEvents(world, { type: 'leads.add', search: String(lead.id) });
    const steps = (await eventDetail(world, added.id)).history.at(-1).steps;
    expect(steps).toContainEqual(
      expect.objectContaining({
        name: `fetch lead ${lead.id}`,
        ok: true,
        detail: { reason: expect.stringContaining('no contact in the mirror') },
      }),
    );
    expect(publishedAbout(world, contact.id, since).map((event) => event.type)).toEqual(['contact.created']);
    expect(publishedAbout(world, lead.id, since)).toEqual([
      expect.objectContaining({ type: 'lead.created', source: 'amocrm', inboxEventId: added.id }),
    ]);

    // the manager drags the lead to the next stage: amoCRM sends leads[status] and leads[update]
    await nextSecond();
    const next = pipeline.statuses.find((status) => status.type === 0 && status.id !== lead.status_id)!;
    const moveFrom = world.published.length;
    amo.manager.changeLeadStatus(lead.id, next.id);
    amo.manager.updateContact(contact.id, {
      custom_fields_values: [
        {
          field_code: 'PHONE',
          values: [
            { value: '8 (916) 700-00-01', enum_code: 'MOB' },
            { value: '+7 903 111 22 33', enum_code: 'WORK' },
          ],
        },
      ],
    });
    await settle(world);
    expect(await mirrorLead(world, lead.id)).toMatchObject({ statusId: next.id, status: next.name });
    const moves = await listEvents(world, { search: String(lead.id), status: 'done' });
    expect(moves.map((event) => event.type)).toEqual(
      expect.arrayContaining(['leads.status', 'leads.update']),
    );
    expect(publishedAbout(world, lead.id, moveFrom)).toEqual([
      expect.objectContaining({
        type: 'lead.stage_changed',
        old: { pipelineId: String(pipeline.id), statusId: String(firstStage.id) },
        new: { pipelineId: String(pipeline.id), statusId: String(next.id) },
      }),
    ]);
    expect((await mirrorContact(world, contact.id)).phones).toEqual(['+79167000001', '+79031112233']);
    expect(publishedAbout(world, contact.id, moveFrom)).toEqual([
      expect.objectContaining({
        type: 'contact.updated',
        old: expect.objectContaining({ phones: ['+79167000001'] }),
        new: expect.objectContaining({ phones: ['+79167000001', '+79031112233'] }),
      }),
    ]);

    // handed over to another manager, then deleted and restored
    await nextSecond();
    const other = amo.users().find((user) => user.id !== amo.managerUserId && user.id !== amo.currentUserId)!;
    const handFrom = world.published.length;
    amo.manager.changeLeadResponsible(lead.id, other.id);
    amo.manager.changeContactResponsible(contact.id, other.id);
    await settle(world);
    expect(await mirrorLead(world, lead.id)).toMatchObject({ responsibleUserId: other.id });
    expect(await mirrorContact(world, contact.id)).toMatchObject({ responsibleUserId: other.id });
    expect(publishedAbout(world, lead.id, handFrom)).toEqual([
      expect.objectContaining({
        type: 'lead.responsible_changed',
        old: { responsibleUserId: String(amo.managerUserId) },
        new: { responsibleUserId: String(other.id) },
      }),
    ]);

    await nextSecond();
    const deleteFrom = world.published.length;
    amo.manager.deleteLead(lead.id);
    amo.manager.deleteContact(contact.id);
    await settle(world);
    expect((await mirrorLead(world, lead.id)).deletedAt).toEqual(expect.any(String));
    expect((await mirrorContact(world, contact.id)).deletedAt).toEqual(expect.any(String));
    expect(publishedAbout(world, lead.id, deleteFrom)).toEqual([
      expect.objectContaining({
        type: 'lead.deleted',
        old: expect.objectContaining({ name: 'Кухня на заказ', statusId: String(next.id) }),
        new: null,
      }),
    ]);
    expect(publishedAbout(world, contact.id, deleteFrom).map((event) => event.type)).toEqual([
      'contact.deleted',
    ]);

    await nextSecond();
    amo.manager.restoreLead(lead.id);
    amo.manager.restoreContact(contact.id);
    await settle(world);
    expect(await mirrorLead(world, lead.id)).toMatchObject({ deletedAt: null, statusId: next.id });
    expect(await mirrorContact(world, contact.id)).toMatchObject({ deletedAt: null, name: 'Иван Петров' });
    const failed = await listEvents(world, { status: 'failed' });
    expect(failed).toEqual([]);
  });

  it('processes a delivery amoCRM sends again only once', async () => {
    const { amo } = world;
    const lead = amo.manager.createLead({ name: 'Повторная доставка' });
    await settle(world);
    await nextSecond();
    const next = amo
      .pipelines()[0]
      .statuses.find((status) => status.type === 0 && status.id !== lead.status_id)!;
    amo.manager.changeLeadStatus(lead.id, next.id);
    await settle(world);
    const from = world.published.length;
    const delivery = amo.deliveries({ event: 'status_lead' }).at(-1)!;
    amo.resendDelivery(delivery.id);
    await settle(world);
    // a repeated delivery owns no change, so the entity search finds only the first one: list the skipped ones
    const [again] = await listEvents(world, { type: 'leads.status', status: 'skipped' });
    expect(again).toMatchObject({
      skipReason: 'duplicate',
      summary: expect.objectContaining({ leads: [lead.id] }),
    });
    expect((await eventDetail(world, again.id)).rawBody).toBe(delivery.body);
    expect(publishedAbout(world, lead.id, from)).toEqual([]);
    expect(await mirrorLead(world, lead.id)).toMatchObject({ statusId: next.id });
  });
});
