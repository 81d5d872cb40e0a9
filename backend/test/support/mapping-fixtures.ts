import type { AmocrmMetadata } from '../../src/amocrm/metadata/amocrm-metadata.types';
import type { LptrackerLead } from '../../src/lptracker/lptracker-lead.types';
import type { LptrackerProjectMetadata } from '../../src/lptracker/metadata/lptracker-metadata.types';
import type { MappingDocument } from '../../src/sync/mappings/mapping.types';

/** Shared test data of the mapping specs: a small amoCRM account, an LPTracker project and a lead. */
export function amoMeta(): AmocrmMetadata {
  return {
    account: { id: 1, name: 'Demo', subdomain: 'demo', currentUserId: 10, currency: 'RUB' },
    users: [
      { id: 10, name: 'Анна Смирнова', email: 'anna@example.com', isAdmin: true, isActive: true },
      { id: 11, name: 'Иван Петров', email: 'ivan@example.com', isAdmin: false, isActive: true },
    ],
    pipelines: [
      {
        id: 100,
        name: 'Воронка',
        isMain: true,
        isArchive: false,
        sort: 1,
        statuses: [
          { id: 1000, name: 'Неразобранное', color: null, type: 1, sort: 10 },
          { id: 1001, name: 'Первичный контакт', color: null, type: 0, sort: 20 },
          { id: 1002, name: 'Переговоры', color: null, type: 0, sort: 30 },
          { id: 142, name: 'Успешно реализовано', color: null, type: 0, sort: 10000 },
        ],
      },
    ],
    contactFields: [
      { id: 500, name: 'Телефон', code: 'PHONE', type: 'multitext', sort: 1, enums: null },
      { id: 501, name: 'Должность', code: 'POSITION', type: 'text', sort: 2, enums: null },
    ],
    leadFields: [
      { id: 600, name: 'Источник', code: null, type: 'text', sort: 1, enums: null },
      { id: 601, name: 'Бюджет', code: null, type: 'numeric', sort: 2, enums: null },
      {
        id: 602,
        name: 'Город',
        code: null,
        type: 'select',
        sort: 3,
        enums: [
          { id: 7001, value: 'Москва', sort: 1 },
          { id: 7002, value: 'Казань', sort: 2 },
        ],
      },
      { id: 603, name: 'Дата заявки', code: null, type: 'date', sort: 4, enums: null },
      { id: 604, name: 'Кампания', code: 'UTM_CAMPAIGN', type: 'text', sort: 5, enums: null },
    ],
    fetchedAt: new Date('2026-12-01T00:00:00Z'),
  };
}

export function lptMeta(): LptrackerProjectMetadata {
  return {
    project: { id: 77, name: 'Сайт', domain: 'site.example' },
    customs: [
      { id: 31, name: 'Город', type: 'text', options: null },
      { id: 32, name: 'Тариф', type: 'cats', options: ['Базовый', 'Премиум'] },
      { id: 33, name: 'Дата визита', type: 'text', options: null },
    ],
    contactFields: [{ id: 41, name: 'Компания', type: 'text' }],
    funnel: [
      { id: 1, name: 'Новый' },
      { id: 2, name: 'Переговоры' },
    ],
    staff: [{ id: 900, name: 'Иван Петров', job: null }],
    fetchedAt: new Date('2026-12-01T00:00:00Z'),
  };
}

export function lead(overrides: Partial<LptrackerLead> = {}): LptrackerLead {
  return {
    projectId: 77,
    id: 5001,
    action: 'create',
    actionTimestamp: '1764547200000',
    updateFields: null,
    updatedAt: null,
    createdAt: '05.12.26 10:15:00',
    name: 'Заявка с сайта',
    stageId: 2,
    stageName: 'Переговоры',
    ownerId: 900,
    contact: {
      id: 8001,
      name: 'Ольга',
      phones: ['+79161234567', '+79031112233'],
      emails: ['olga@example.com'],
      invalidPhones: [],
    },
    view: { source: 'yandex', campaign: 'winter', keyword: 'купить' },
    custom: [
      { id: 31, name: 'Город', value: 'казань' },
      { id: 33, name: 'Дата визита', value: '13.05.17 01:08:14' },
    ],
    ...overrides,
  };
}

export function emptyDocument(overrides: Partial<MappingDocument> = {}): MappingDocument {
  return {
    lines: [],
    pipelineId: null,
    statusId: null,
    createAs: 'lead',
    stageMap: [],
    userMap: [],
    ...overrides,
  };
}
