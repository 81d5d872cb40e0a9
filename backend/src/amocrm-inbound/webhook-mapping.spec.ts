import type { AmocrmMetadata } from '../amocrm/metadata/amocrm-metadata.types';
import { normaliseAmocrmWebhook, parseAmocrmWebhookForm } from '../amocrm/webhooks';
import {
  contactDataFromWebhook,
  customFieldsFromWebhook,
  leadDataFromWebhook,
  leadPatchFromWebhook,
  missingContactFields,
  missingLeadFields,
  typedValue,
  type MappingContext,
} from './webhook-mapping';

const field = (
  id: number,
  name: string,
  type: string,
  code: string | null = null,
  enums?: [number, string][],
) => ({
  id,
  name,
  code,
  type,
  sort: id,
  enums: enums ? enums.map(([enumId, value], index) => ({ id: enumId, value, sort: index })) : null,
});

const METADATA: AmocrmMetadata = {
  account: { id: 31000001, name: 'Demo', subdomain: 'demo', currentUserId: 8100001, currency: 'RUB' },
  users: [],
  pipelines: [
    {
      id: 7200001,
      name: 'Основная воронка',
      isMain: true,
      isArchive: false,
      sort: 1,
      statuses: [
        { id: 61000001, name: 'Первичный контакт', color: null, type: 0, sort: 10 },
        { id: 61000002, name: 'Переговоры', color: null, type: 0, sort: 20 },
        { id: 142, name: 'Успешно реализовано', color: null, type: 0, sort: 10000 },
      ],
    },
  ],
  contactFields: [
    field(970001, 'Телефон', 'multitext', 'PHONE', [
      [5001, 'WORK'],
      [5002, 'MOB'],
    ]),
    field(970002, 'Email', 'multitext', 'EMAIL', [[5003, 'WORK']]),
    field(970003, 'Должность', 'text', 'POSITION'),
  ],
  leadFields: [
    field(970008, 'Источник', 'select', null, [
      [1440015, 'Яндекс.Директ'],
      [1440016, 'Сайт'],
    ]),
    field(970010, 'Дата встречи', 'date'),
    field(970011, 'Согласие', 'checkbox'),
    field(970012, 'Мест', 'numeric'),
  ],
  fetchedAt: new Date('2026-11-01T00:00:00Z'),
};

const context: MappingContext = {
  metadata: METADATA,
  region: 'RU',
  syncedAt: new Date('2026-11-22T10:00:00Z'),
};

function change(pairs: [string, string][]) {
  const [first] = normaliseAmocrmWebhook(
    parseAmocrmWebhookForm(new URLSearchParams(pairs).toString()),
  ).changes;
  return first;
}

describe('v2 webhook fields → mirror rows', () => {
  it('maps a lead: stage name from the metadata, tags, custom fields with index gaps, bare dates, enums', () => {
    const lead = change([
      ['leads[update][0][id]', '18000001'],
      ['leads[update][0][name]', 'Сделка'],
      ['leads[update][0][status_id]', '61000002'],
      ['leads[update][0][pipeline_id]', '7200001'],
      ['leads[update][0][price]', '15000.50'],
      ['leads[update][0][responsible_user_id]', '8100001'],
      ['leads[update][0][last_modified]', '1795315186'],
      ['leads[update][0][date_create]', '1795315100'],
      ['leads[update][0][tags][0][id]', '400001'],
      ['leads[update][0][tags][0][name]', 'сайт'],
      ['leads[update][0][tags][2][name]', 'vip'],
      ['leads[update][0][custom_fields][0][id]', '970008'],
      ['leads[update][0][custom_fields][0][name]', 'Источник'],
      ['leads[update][0][custom_fields][0][values][0][value]', 'Яндекс.Директ'],
      ['leads[update][0][custom_fields][0][values][0][enum]', '1440015'],
      ['leads[update][0][custom_fields][3][id]', '970010'],
      ['leads[update][0][custom_fields][3][values][0]', '1542067200'],
      ['leads[update][0][custom_fields][7][id]', '970011'],
      ['leads[update][0][custom_fields][7][values][0][value]', '1'],
      ['leads[update][0][custom_fields][9][id]', '970012'],
      ['leads[update][0][custom_fields][9][values][0][value]', '42'],
    ]);
    expect(missingLeadFields(lead)).toEqual([]);
    expect(leadDataFromWebhook(lead, 'contact-row-id', context)).toEqual({
      amocrmId: 18000001,
      name: 'Сделка',
      statusId: 61000002,
      status: 'Переговоры',
      pipelineId: 7200001,
      price: 15001,
      contactId: 'contact-row-id',
      responsibleUserId: 8100001,
      customFields: [
        {
          fieldId: 970008,
          fieldCode: null,
          fieldName: 'Источник',
          values: [{ value: 'Яндекс.Директ', enumId: 1440015, enumCode: null }],
        },
        {
          fieldId: 970010,
          fieldCode: null,
          fieldName: 'Дата встречи',
          values: [{ value: 1542067200, enumId: null, enumCode: null }],
        },
        {
          fieldId: 970011,
          fieldCode: null,
          fieldName: 'Согласие',
          values: [{ value: true, enumId: null, enumCode: null }],
        },
        {
          fieldId: 970012,
          fieldCode: null,
          fieldName: 'Мест',
          values: [{ value: '42', enumId: null, enumCode: null }],
        },
      ],
      tags: ['сайт', 'vip'],
      source: 'amocrm',
      syncedAt: context.syncedAt,
      closedAt: null,
    });
  });

  it('maps a contact: PHONE and EMAIL values in E.164 and lower case, other fields kept', () => {
    const contact = change([
      ['contacts[update][0][id]', '3000001'],
      ['contacts[update][0][name]', 'Иван Петров'],
      ['contacts[update][0][responsible_user_id]', '8100002'],
      ['contacts[update][0][last_modified]', '1795315186'],
      ['contacts[update][0][custom_fields][0][id]', '970001'],
      ['contacts[update][0][custom_fields][0][code]', 'PHONE'],
      ['contacts[update][0][custom_fields][0][values][0][value]', '8 (916) 123-45-67'],
      ['contacts[update][0][custom_fields][0][values][0][enum]', '5001'],
      ['contacts[update][0][custom_fields][0][values][2][value]', '+7 903 111-22-33'],
      ['contacts[update][0][custom_fields][0][values][2][enum]', '5002'],
      ['contacts[update][0][custom_fields][2][id]', '970002'],
      ['contacts[update][0][custom_fields][2][code]', 'EMAIL'],
      ['contacts[update][0][custom_fields][2][values][0][value]', ' Ivan@Example.RU '],
      ['contacts[update][0][custom_fields][5][id]', '970003'],
      ['contacts[update][0][custom_fields][5][name]', 'Должность'],
      ['contacts[update][0][custom_fields][5][values][0][value]', 'Директор'],
      ['contacts[update][0][linked_leads_id][18000001][ID]', '18000001'],
    ]);
    expect(missingContactFields(contact)).toEqual([]);
    expect(contactDataFromWebhook(contact, context)).toEqual({
      amocrmId: 3000001,
      name: 'Иван Петров',
      phone: '+79161234567',
      email: 'ivan@example.ru',
      phones: ['+79161234567', '+79031112233'],
      emails: ['ivan@example.ru'],
      responsibleUserId: 8100002,
      customFields: [
        {
          fieldId: 970003,
          fieldCode: 'POSITION',
          fieldName: 'Должность',
          values: [{ value: 'Директор', enumId: null, enumCode: null }],
        },
      ],
      syncedAt: context.syncedAt,
    });
    expect(contact.linkedLeadIds).toEqual([18000001]);
  });

  it('finds PHONE by its code when the payload names no field id, and reads phones without metadata', () => {
    const contact = change([
      ['contacts[add][0][id]', '3000002'],
      ['contacts[add][0][name]', 'Анна'],
      ['contacts[add][0][responsible_user_id]', '8100001'],
      ['contacts[add][0][custom_fields][0][code]', 'PHONE'],
      ['contacts[add][0][custom_fields][0][values][0][value]', '9161234500'],
    ]);
    expect(contactDataFromWebhook(contact, context)).toMatchObject({ phones: ['+79161234500'] });
    expect(contactDataFromWebhook(contact, { ...context, metadata: null })).toMatchObject({
      phone: '+79161234500',
      customFields: [],
    });
  });

  it('fills the option text when only the enum came, and leaves out empty fields', () => {
    expect(
      customFieldsFromWebhook(
        [
          { id: 970008, name: null, code: null, values: [{ value: null, enum: 1440016 }] },
          { id: 970012, name: null, code: null, values: [] },
          { id: null, name: 'без id', code: null, values: [{ value: 'x', enum: null }] },
        ],
        METADATA.leadFields,
      ),
    ).toEqual([
      {
        field_id: 970008,
        field_code: null,
        field_name: 'Источник',
        values: [{ value: 'Сайт', enum_id: 1440016 }],
      },
    ]);
  });

  it('types values like the API: dates (also ISO) as unix seconds, checkboxes as booleans, the rest as text', () => {
    expect(typedValue('1542067200', 'date')).toBe(1542067200);
    expect(typedValue('2018-11-13', 'birthday')).toBe(1542067200);
    expect(typedValue('0', 'checkbox')).toBe(false);
    expect(typedValue('15000', 'numeric')).toBe('15000');
    expect(typedValue('1542067200', undefined)).toBe('1542067200');
  });

  it('names what a partial payload lacks, so the entity is read from the API', () => {
    const update = change([
      ['leads[update][0][id]', '18000001'],
      ['leads[update][0][status_id]', '142'],
    ]);
    expect(missingLeadFields(update)).toEqual(['name', 'pipeline_id', 'responsible_user_id']);
    const contact = change([
      ['contacts[update][0][id]', '3'],
      ['contacts[update][0][responsible_user_id]', '8100001'],
    ]);
    expect(missingContactFields(contact)).toEqual(['name']);
  });

  it('takes the closing time of a won lead from closed_at, the v2 date_close, else its version', () => {
    const won = (extra: [string, string][]) =>
      leadDataFromWebhook(
        change([
          ['leads[update][0][id]', '18000001'],
          ['leads[update][0][name]', 'Сделка'],
          ['leads[update][0][status_id]', '142'],
          ['leads[update][0][pipeline_id]', '7200001'],
          ['leads[update][0][responsible_user_id]', '8100001'],
          ['leads[update][0][last_modified]', '1795315186'],
          ...extra,
        ]),
        null,
        context,
      ).closedAt;
    expect(won([['leads[update][0][closed_at]', '1795315000']])).toEqual(new Date(1795315000 * 1000));
    expect(won([['leads[update][0][date_close]', '1795314000']])).toEqual(new Date(1795314000 * 1000));
    expect(won([])).toEqual(new Date(1795315186 * 1000));
  });

  it('applies a bare status change to a known lead: stage, its name and the closing time', () => {
    const won = change([
      ['leads[status][0][id]', '18000001'],
      ['leads[status][0][status_id]', '142'],
      ['leads[status][0][old_status_id]', '61000002'],
      ['leads[status][0][last_modified]', '1795315186'],
    ]);
    expect(
      leadPatchFromWebhook(won, { statusId: 61000002, pipelineId: 7200001, closedAt: null }, context),
    ).toEqual({
      statusId: 142,
      pipelineId: 7200001,
      status: 'Успешно реализовано',
      closedAt: new Date(1795315186 * 1000),
      syncedAt: context.syncedAt,
    });
    const reopened = change([
      ['leads[status][0][id]', '18000001'],
      ['leads[status][0][status_id]', '61000001'],
      ['leads[status][0][pipeline_id]', '7200001'],
    ]);
    expect(
      leadPatchFromWebhook(reopened, { statusId: 142, pipelineId: 7200001, closedAt: new Date() }, context),
    ).toMatchObject({ statusId: 61000001, status: 'Первичный контакт', closedAt: null });
  });
});
