import { startAmoSandbox, type AmoSandbox } from '../sandbox/amocrm';
import { MirrorWriterService } from '../src/amocrm-inbound/mirror-writer.service';
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

/**
 * The irregular shapes amoCRM sends, written by hand: several entities in one body, custom fields with index gaps
 * and bare values, status changes arriving twice, entity types the mirror does not keep; bodies refused before
 * anything is stored. Partial payloads read from amoCRM, another account's deliveries, our own writes coming back
 * and a failed event replayed: amocrm-inbound-deliveries.e2e-spec.ts.
 */
describe('amoCRM webhook payloads → the mirror', () => {
  let sandbox: AmoSandbox;
  let world: InboundWorld;
  const now = Math.floor(Date.now() / 1000);
  const pipeline = () => world.amo.pipelines()[0];
  const stages = () =>
    pipeline().statuses.filter((status) => status.type === 0 && status.id !== 142 && status.id !== 143);
  const inboxCount = () =>
    world.db.count('SELECT COUNT(*) FROM inbox_events WHERE workspace_id = ?', [world.workspaceId]);
  /** A lead the mirror already knows (made by a complete `leads[add]` with its contact): no test needs another. */
  const knownLead = async (
    id: number,
    name: string,
    statusId: number,
    extra: [string, string | number][] = [],
  ): Promise<void> => {
    const res = await postHook(
      world.hookUrl,
      amoForm(world.amo, [
        ['leads[add][0][id]', id],
        ['leads[add][0][name]', name],
        ['leads[add][0][status_id]', statusId],
        ['leads[add][0][pipeline_id]', pipeline().id],
        ['leads[add][0][price]', 1500],
        ['leads[add][0][responsible_user_id]', world.amo.managerUserId],
        ['leads[add][0][date_create]', now],
        ['leads[add][0][last_modified]', now],
        ...extra,
        // with its contact, so the payload is complete and nothing is read from amoCRM
        ['contacts[add][0][id]', id + 1_000_000],
        ['contacts[add][0][name]', `Клиент ${id}`],
        ['contacts[add][0][responsible_user_id]', world.amo.managerUserId],
        ['contacts[add][0][last_modified]', now],
        [`contacts[add][0][linked_leads_id][${id}][ID]`, id],
      ]),
    );
    expect(res.status).toBe(200);
    await settle(world);
    expect(await mirrorLead(world, id)).toMatchObject({ name, statusId });
  };

  beforeAll(async () => {
    sandbox = await startAmoSandbox({ rps: 1000 });
    world = await startInboundWorld(sandbox, 'payloads');
  });
  afterAll(async () => {
    await world?.close();
    await sandbox?.close();
  });

  it('splits a body of two leads and a contact per entity and links the leads without asking amoCRM', async () => {
    const { amo } = world;
    const [first, second] = stages();
    const select = amo.leadFields().find((field) => field.type === 'select')!;
    const date = amo.leadFields().find((field) => field.type === 'date')!;
    const phone = amo.contactFields().find((field) => field.code === 'PHONE')!;
    const lead = (index: number, id: number, name: string, status: number): [string, string | number][] => [
      [`leads[add][${index}][id]`, id],
      [`leads[add][${index}][name]`, name],
      [`leads[add][${index}][status_id]`, status],
      [`leads[add][${index}][pipeline_id]`, pipeline().id],
      [`leads[add][${index}][price]`, 1500],
      [`leads[add][${index}][responsible_user_id]`, amo.managerUserId],
      [`leads[add][${index}][date_create]`, now],
      [`leads[add][${index}][last_modified]`, now],
    ];
    const since = world.published.length;
    const requestsFrom = Date.now();
    const res = await postHook(
      world.hookUrl,
      amoForm(amo, [
        ...lead(0, 91000001, 'Первая заявка', first.id),
        ['leads[add][0][custom_fields][0][id]', select.id],
        ['leads[add][0][custom_fields][0][name]', select.name],
        ['leads[add][0][custom_fields][0][values][0][value]', select.enums![0].value],
        ['leads[add][0][custom_fields][0][values][0][enum]', select.enums![0].id],
        ['leads[add][0][custom_fields][4][id]', date.id],
        ['leads[add][0][custom_fields][4][values][0]', 1542067200],
        ...lead(3, 91000002, 'Вторая заявка', second.id),
        ['leads[add][3][tags][0][name]', 'vip'],
        ['leads[add][3][tags][5][name]', 'звонок'],
        ['contacts[add][0][id]', 92000001],
        ['contacts[add][0][name]', 'Мария'],
        ['contacts[add][0][responsible_user_id]', amo.managerUserId],
        ['contacts[add][0][last_modified]', now],
        ['contacts[add][0][custom_fields][2][id]', phone.id],
        ['contacts[add][0][custom_fields][2][code]', 'PHONE'],
        ['contacts[add][0][custom_fields][2][values][0][value]', '+7 (916) 555-00-11'],
        ['contacts[add][0][custom_fields][2][values][0][enum]', phone.enums![0].id],
        ['contacts[add][0][linked_leads_id][91000001][ID]', 91000001],
        ['contacts[add][0][linked_leads_id][91000002][ID]', 91000002],
      ]),
    );
    expect(res.status).toBe(200);
    await settle(world);

    const [event] = await listEvents(world, { search: '92000001' });
    expect(event).toMatchObject({ type: 'mixed', status: 'done' });
    expect((await eventDetail(world, event.id)).keys).toHaveLength(3);
    const contact = await mirrorContact(world, 92000001);
    expect(contact).toMatchObject({ name: 'Мария', phones: ['+79165550011'] });
    expect(await mirrorLead(world, 91000001)).toMatchObject({
      name: 'Первая заявка',
      statusId: first.id,
      status: first.name,
      price: 1500,
      contactId: contact.id,
      customFields: [
        { fieldId: select.id, values: [{ value: select.enums![0].value, enumId: select.enums![0].id }] },
        { fieldId: date.id, values: [{ value: 1542067200 }] },
      ],
    });
    expect(await mirrorLead(world, 91000002)).toMatchObject({
      statusId: second.id,
      tags: ['vip', 'звонок'],
      contactId: contact.id,
    });
    expect(amo.requests({ since: requestsFrom })).toEqual([]); // the body said everything
    expect(world.published.slice(since).map((e) => `${e.type} ${e.entityId}`)).toEqual(
      expect.arrayContaining(['contact.created 92000001', 'lead.created 91000001', 'lead.created 91000002']),
    );
    expect(world.published.length - since).toBe(3);
  });

  it('makes the new entities of events committed together with one statement each, and falls back safely', async () => {
    const { amo } = world;
    const [stage] = stages();
    const body = (leadId: number, contactId: number): string =>
      amoForm(amo, [
        ['leads[add][0][id]', leadId],
        ['leads[add][0][name]', `Заявка ${leadId}`],
        ['leads[add][0][status_id]', stage.id],
        ['leads[add][0][pipeline_id]', pipeline().id],
        ['leads[add][0][responsible_user_id]', amo.managerUserId],
        ['leads[add][0][last_modified]', now],
        ['contacts[add][0][id]', contactId],
        ['contacts[add][0][name]', `Клиент ${contactId}`],
        ['contacts[add][0][responsible_user_id]', amo.managerUserId],
        ['contacts[add][0][last_modified]', now],
        [`contacts[add][0][linked_leads_id][${leadId}][ID]`, leadId],
      ]);
    const group = world.t.app.get(MirrorWriterService).together;
    const original = group.apply.bind(group);
    const sizes: number[] = [];
    let madeTogether = 0;
    let failOnce = true;
    const shared = jest.spyOn(group, 'apply').mockImplementation(async (manager, items) => {
      sizes.push(items.length);
      await original(manager, items);
      if (!failOnce) madeTogether += items.filter((item) => item.made?.manager === manager).length;
      if (failOnce) {
        // as if a row had turned up meanwhile: the batch is rolled back after the shared writes and committed
        // again event by event, without them
        failOnce = false;
        throw new Error('a shared write failed');
      }
    });
    try {
      const since = world.published.length;
      const pairs = Array.from({ length: 40 }, (_, index) => [93000000 + index, 94000000 + index] as const);
      const answers = await Promise.all(
        pairs.map(([lead, contact]) => postHook(world.hookUrl, body(lead, contact))),
      );
      expect(answers.map((answer) => answer.status)).toEqual(pairs.map(() => 200));
      await settle(world);

      expect(Math.max(...sizes)).toBeGreaterThan(1); // several events were committed together
      expect(failOnce).toBe(false);
      expect(madeTogether).toBeGreaterThan(1); // and their rows were made by the shared writes
      for (const [leadId, contactId] of pairs) {
        const contact = await mirrorContact(world, contactId);
        expect(contact).toMatchObject({ name: `Клиент ${contactId}` });
        expect(await mirrorLead(world, leadId)).toMatchObject({
          name: `Заявка ${leadId}`,
          contactId: contact.id,
        });
        expect(publishedAbout(world, leadId, since).map((event) => event.type)).toEqual(['lead.created']);
        expect(publishedAbout(world, contactId, since).map((event) => event.type)).toEqual([
          'contact.created',
        ]);
      }
      const counts = await world.db.one<{ leads: number; contacts: number; versions: number }>(
        `SELECT (SELECT COUNT(*) FROM leads WHERE workspace_id = ? AND amocrm_id BETWEEN 93000000 AND 93000039) AS leads,
                (SELECT COUNT(*) FROM contacts WHERE workspace_id = ? AND amocrm_id BETWEEN 94000000 AND 94000039) AS contacts,
                (SELECT COUNT(*) FROM amocrm_entity_versions WHERE workspace_id = ?
                    AND amocrm_id BETWEEN 93000000 AND 94000039) AS versions`,
        [world.workspaceId, world.workspaceId, world.workspaceId],
      );
      expect(counts).toEqual({ leads: 40, contacts: 40, versions: 80 });
    } finally {
      shared.mockRestore();
    }
  });

  it('converges a move sent as leads[status] and leads[update], in one body or two, and tells it once', async () => {
    const [first, second] = stages();
    const select = world.amo.leadFields().find((field) => field.type === 'select')!;
    const date = world.amo.leadFields().find((field) => field.type === 'date')!;
    /** A move as amoCRM sends it: `status` with the old stage, `update` with the whole lead. */
    const moveItem = (action: 'status' | 'update', status: number, old: number, version: number) => {
      const item = (field: string, value: string | number): [string, string | number] => [
        `leads[${action}][0][${field}]`,
        value,
      ];
      return [
        item('id', 91000011),
        item('name', 'Первая заявка'),
        item('status_id', status),
        ...(action === 'status' ? [item('old_status_id', old)] : []),
        item('pipeline_id', pipeline().id),
        item('price', 1500),
        item('responsible_user_id', world.amo.managerUserId),
        item('last_modified', version),
        item('custom_fields][0][id', select.id),
        item('custom_fields][0][values][0][value', select.enums![0].value),
        item('custom_fields][0][values][0][enum', select.enums![0].id),
        item('custom_fields][1][id', date.id),
        item('custom_fields][1][values][0', 1542067200),
      ];
    };
    await knownLead(91000011, 'Первая заявка', first.id, [
      ['leads[add][0][custom_fields][0][id]', select.id],
      ['leads[add][0][custom_fields][0][values][0][value]', select.enums![0].value],
      ['leads[add][0][custom_fields][0][values][0][enum]', select.enums![0].id],
      ['leads[add][0][custom_fields][1][id]', date.id],
      ['leads[add][0][custom_fields][1][values][0]', 1542067200],
    ]);
    // one body holding both
    let since = world.published.length;
    const both = await postHook(
      world.hookUrl,
      amoForm(world.amo, [
        ...moveItem('status', second.id, first.id, now + 1),
        ...moveItem('update', second.id, first.id, now + 1),
      ]),
    );
    expect(both.status).toBe(200);
    await settle(world);
    expect(await mirrorLead(world, 91000011)).toMatchObject({ statusId: second.id, status: second.name });
    expect(publishedAbout(world, 91000011, since)).toEqual([
      expect.objectContaining({
        type: 'lead.stage_changed',
        old: { pipelineId: String(pipeline().id), statusId: String(first.id) },
        new: { pipelineId: String(pipeline().id), statusId: String(second.id) },
      }),
    ]);

    // two bodies at once: the next move to "won"
    since = world.published.length;
    const answers = await Promise.all([
      postHook(world.hookUrl, amoForm(world.amo, moveItem('status', 142, second.id, now + 2))),
      postHook(world.hookUrl, amoForm(world.amo, moveItem('update', 142, second.id, now + 2))),
    ]);
    expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
    await settle(world);
    const won = await mirrorLead(world, 91000011);
    expect(won).toMatchObject({ statusId: 142, isOpen: false, closedAt: expect.any(String) });
    expect(publishedAbout(world, 91000011, since).map((event) => event.type)).toEqual(['lead.stage_changed']);
  });

  it('applies a bare status change of a known lead without reading amoCRM, and keeps what it did not say', async () => {
    const [, second, third] = stages();
    await knownLead(91000012, 'Вторая заявка', second.id, [
      ['leads[add][0][tags][0][name]', 'vip'],
      ['leads[add][0][tags][5][name]', 'звонок'],
    ]);
    const requestsFrom = Date.now();
    await postHook(
      world.hookUrl,
      amoForm(world.amo, [
        ['leads[status][0][id]', 91000012],
        ['leads[status][0][status_id]', third.id],
        ['leads[status][0][old_status_id]', second.id],
        ['leads[status][0][last_modified]', now + 3],
      ]),
    );
    await settle(world);
    expect(await mirrorLead(world, 91000012)).toMatchObject({
      name: 'Вторая заявка',
      statusId: third.id,
      status: third.name,
      pipelineId: pipeline().id,
      tags: ['vip', 'звонок'],
    });
    expect(world.amo.requests({ since: requestsFrom })).toEqual([]);
  });

  it('stores changes of companies, tasks, customers and notes but filters them', async () => {
    const res = await postHook(
      world.hookUrl,
      amoForm(world.amo, [
        ['companies[add][0][id]', 5001],
        ['companies[add][0][last_modified]', now],
        ['tasks[update][0][id]', 5002],
        ['tasks[update][0][last_modified]', now],
        ['customers[add][0][id]', 5003],
        ['customers[add][0][last_modified]', now],
        ['leads[note][0][note][id]', 77],
        ['leads[note][0][note][text]', 'Перезвонить'],
        ['leads[note][0][note][element_id]', 91000001],
        ['leads[note][0][note][element_type]', 2],
      ]),
    );
    expect(res.status).toBe(200);
    await settle(world);
    const detail = await eventDetail(world, res.body.id);
    expect(detail).toMatchObject({ status: 'skipped', skipReason: 'filtered', type: 'mixed' });
    expect(detail.history.at(-1).skipped).toHaveLength(4);
  });

  it('refuses bodies that are not amoCRM webhooks, storing nothing; takes a charset parameter', async () => {
    const before = await inboxCount();
    const valid = amoForm(world.amo, [['leads[update][0][id]', 91000001]]);
    const answers = {
      malformed: await postHook(world.hookUrl, `leads]x[=1&${valid}`),
      proto: await postHook(world.hookUrl, `leads[add][0][__proto__][x]=1&${valid}`),
      constructor: await postHook(world.hookUrl, `leads[constructor][0][id]=1&${valid}`),
      prototype: await postHook(world.hookUrl, `prototype=1&${valid}`),
      json: await postHook(
        world.hookUrl,
        JSON.stringify({ leads: { add: [{ id: 1 }] } }),
        'application/json',
      ),
      noAccount: await postHook(world.hookUrl, 'leads[add][0][id]=1'),
      huge: await postHook(world.hookUrl, `${valid}&pad=${'x'.repeat(1024 * 1024 + 10)}`),
    };
    expect(Object.fromEntries(Object.entries(answers).map(([name, res]) => [name, res.status]))).toEqual({
      malformed: 400,
      proto: 400,
      constructor: 400,
      prototype: 400,
      json: 400,
      noAccount: 400,
      huge: 413,
    });
    expect(answers.proto.body).toMatchObject({ type: expect.stringContaining('malformed-webhook') });
    expect(await inboxCount()).toBe(before);

    const charset = await postHook(
      world.hookUrl,
      amoForm(world.amo, [
        ['contacts[update][0][id]', 92000001],
        ['contacts[update][0][name]', 'Мария Иванова'],
        ['contacts[update][0][responsible_user_id]', world.amo.managerUserId],
        ['contacts[update][0][last_modified]', now + 1],
      ]),
      'application/x-www-form-urlencoded; charset=UTF-8',
    );
    expect(charset.status).toBe(200);
    await settle(world);
    expect(await mirrorContact(world, 92000001)).toMatchObject({ name: 'Мария Иванова' });
  });
});
