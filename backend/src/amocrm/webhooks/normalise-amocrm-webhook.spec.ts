import { startAmoSandbox, type AmoSandbox } from '../../../sandbox/amocrm';
import {
  callAmo,
  startWebhookReceiver,
  type WebhookReceiver,
} from '../../../sandbox/amocrm/sandbox-test-kit';
import { normaliseAmocrmWebhook } from './normalise-amocrm-webhook';
import { parseAmocrmWebhookForm } from './parse-amocrm-webhook-form';

function normalise(pairs: [string, string][]): ReturnType<typeof normaliseAmocrmWebhook> {
  return normaliseAmocrmWebhook(parseAmocrmWebhookForm(new URLSearchParams(pairs).toString()));
}

describe('normaliseAmocrmWebhook', () => {
  it('reads a status change with old and new stage, custom fields (enum, bare date) and tags', () => {
    const result = normalise([
      ['leads[status][0][id]', '18000001'],
      ['leads[status][0][name]', 'Сделка'],
      ['leads[status][0][status_id]', '142'],
      ['leads[status][0][old_status_id]', '61000002'],
      ['leads[status][0][pipeline_id]', '7200001'],
      ['leads[status][0][old_pipeline_id]', '7200001'],
      ['leads[status][0][price]', '15000.50'],
      ['leads[status][0][responsible_user_id]', '8100001'],
      ['leads[status][0][last_modified]', '1795315186'],
      ['leads[status][0][date_create]', '1795315100'],
      ['leads[status][0][tags][0][id]', '400001'],
      ['leads[status][0][tags][0][name]', 'сайт'],
      ['leads[status][0][custom_fields][0][id]', '970008'],
      ['leads[status][0][custom_fields][0][name]', 'Источник'],
      ['leads[status][0][custom_fields][0][values][0][value]', 'Яндекс.Директ'],
      ['leads[status][0][custom_fields][0][values][0][enum]', '1440015'],
      ['leads[status][0][custom_fields][3][id]', '970010'],
      ['leads[status][0][custom_fields][3][values][0]', '1542067200'],
      ['leads[status][0][updated_at]', '1795315186'],
      ['account[subdomain]', 'demo'],
      ['account[id]', '31000001'],
    ]);
    expect(result.account).toEqual({ id: 31000001, subdomain: 'demo' });
    expect(result.changes).toHaveLength(1);
    expect(result.changes[0]).toMatchObject({
      entity: 'lead',
      action: 'status',
      id: 18000001,
      name: 'Сделка',
      statusId: 142,
      oldStatusId: 61000002,
      pipelineId: 7200001,
      oldPipelineId: 7200001,
      price: 15000.5,
      responsibleUserId: 8100001,
      lastModified: 1795315186,
      dateCreate: 1795315100,
      updatedAt: 1795315186,
      createdAt: null,
      tags: [{ id: 400001, name: 'сайт' }],
      customFields: [
        { id: 970008, name: 'Источник', code: null, values: [{ value: 'Яндекс.Директ', enum: 1440015 }] },
        { id: 970010, name: null, code: null, values: [{ value: '1542067200', enum: null }] },
      ],
      linkedLeadIds: [],
      note: null,
    });
  });

  it('reads several entities and actions in one body, companies sent as contacts of type company', () => {
    const result = normalise([
      ['leads[update][0][id]', '1'],
      ['leads[update][1][id]', '2'],
      ['contacts[add][0][id]', '3'],
      ['contacts[add][0][type]', 'contact'],
      ['contacts[add][0][linked_leads_id][1][ID]', '1'],
      ['contacts[add][0][linked_leads_id][2][ID]', '2'],
      ['contacts[update][0][id]', '4'],
      ['contacts[update][0][type]', 'company'],
      ['leads[delete][0][id]', '5'],
      ['unsorted[add][0][uid]', 'x'],
      ['leads[update][2][name]', 'no id: skipped'],
    ]);
    expect(result.changes.map((change) => [change.entity, change.action, change.id])).toEqual([
      ['lead', 'update', 1],
      ['lead', 'update', 2],
      ['lead', 'delete', 5],
      ['contact', 'add', 3],
      ['company', 'update', 4],
    ]);
    expect(result.changes[3].linkedLeadIds).toEqual([1, 2]);
    expect(result.account).toEqual({ id: null, subdomain: null });
  });

  it('reads a note event for the entity it belongs to', () => {
    const result = normalise([
      ['leads[note][0][note][id]', '77'],
      ['leads[note][0][note][text]', 'Перезвонить'],
      ['leads[note][0][note][note_type]', '4'],
      ['leads[note][0][note][element_id]', '18000001'],
      ['leads[note][0][note][element_type]', '2'],
    ]);
    expect(result.changes[0]).toMatchObject({
      entity: 'lead',
      action: 'note',
      id: 18000001,
      note: { id: 77, text: 'Перезвонить', noteType: '4', elementId: 18000001, elementType: 2 },
    });
  });

  describe('bodies the sandbox sends (legacy form encoding)', () => {
    let sandbox: AmoSandbox;
    let receiver: WebhookReceiver;

    beforeAll(async () => {
      sandbox = await startAmoSandbox({ rps: 1000 });
      receiver = await startWebhookReceiver();
    });

    afterAll(async () => {
      await sandbox.close();
      await receiver.close();
    });

    it('turns every outgoing webhook of a lead and contact lifecycle into the right changes', async () => {
      const account = sandbox.createAccount({ subdomain: 'hooks' });
      const handle = sandbox.account('hooks');
      const api = (method: string, path: string, body?: unknown) =>
        callAmo(account.baseUrl, method, path, { token: account.longLivedToken, body });
      await api('POST', '/api/v4/webhooks', {
        destination: `${receiver.url}/amo`,
        settings: [
          'add_lead',
          'status_lead',
          'update_lead',
          'add_contact',
          'update_contact',
          'delete_lead',
          'restore_lead',
          'responsible_lead',
        ],
      });
      const select = handle.leadFields().find((field) => field.type === 'select')!;
      const date = handle.leadFields().find((field) => field.type === 'date')!;
      const contact = await api('POST', '/api/v4/contacts', [
        {
          name: 'Иван Петров',
          custom_fields_values: [
            {
              field_code: 'PHONE',
              values: [
                { value: '+79161234567', enum_code: 'WORK' },
                { value: '89031112233', enum_code: 'MOB' },
              ],
            },
          ],
        },
      ]);
      const contactId = contact.json._embedded.contacts[0].id as number;
      const lead = await api('POST', '/api/v4/leads', [
        {
          name: 'Сделка & «тест»',
          price: 15000,
          custom_fields_values: [
            { field_id: select.id, values: [{ enum_id: select.enums![1].id }] },
            { field_id: date.id, values: [{ value: 1542067200 }] },
          ],
          _embedded: { tags: [{ name: 'сайт' }], contacts: [{ id: contactId }] },
        },
      ]);
      const leadId = lead.json._embedded.leads[0].id as number;
      const before = handle.lead(leadId)!;
      const next = handle
        .pipelines()[0]
        .statuses.find((status) => status.type === 0 && status.id !== before.status_id)!;
      await api('PATCH', `/api/v4/leads/${leadId}`, { status_id: next.id });
      await api('PATCH', `/api/v4/contacts/${contactId}`, { name: 'Иван П.' });
      handle.manager.changeLeadResponsible(leadId, handle.managerUserId);
      handle.manager.deleteLead(leadId);
      handle.manager.restoreLead(leadId);
      await handle.whenDeliveriesIdle();

      const changes = receiver.received.map((hook) =>
        normaliseAmocrmWebhook(parseAmocrmWebhookForm(Buffer.from(hook.body))),
      );
      for (const result of changes) expect(result.account).toEqual({ id: account.id, subdomain: 'hooks' });
      const flat = changes.flatMap((result) => result.changes);
      expect(flat.map((change) => `${change.entity}:${change.action}`)).toEqual([
        'contact:add',
        'lead:add',
        'lead:status',
        'lead:update',
        'contact:update',
        'lead:responsible',
        'lead:update',
        'lead:delete',
        'lead:restore',
      ]);
      const added = flat[1];
      expect(added).toMatchObject({
        id: leadId,
        name: 'Сделка & «тест»',
        price: 15000,
        tags: [{ name: 'сайт' }],
      });
      expect(added.customFields).toEqual([
        {
          id: select.id,
          name: select.name,
          code: null,
          values: [{ value: select.enums![1].value, enum: select.enums![1].id }],
        },
        { id: date.id, name: date.name, code: null, values: [{ value: '1542067200', enum: null }] },
      ]);
      expect(flat[2]).toMatchObject({
        statusId: next.id,
        oldStatusId: before.status_id,
        pipelineId: before.pipeline_id,
      });
      expect(flat[4]).toMatchObject({ id: contactId, name: 'Иван П.', linkedLeadIds: [leadId] });
      expect(flat[4].customFields[0]).toMatchObject({
        code: 'PHONE',
        values: [{ value: '+79161234567' }, { value: '89031112233' }],
      });
      expect(flat[5]).toMatchObject({
        responsibleUserId: handle.managerUserId,
        oldResponsibleUserId: handle.currentUserId,
      });
    });
  });
});
