import type { AmocrmMetadata } from '../../../amocrm/metadata/amocrm-metadata.types';
import type { LptrackerProjectMetadata } from '../../../lptracker/metadata/lptracker-metadata.types';
import type { RuleMetadata } from '../rule-fields';

/** Metadata of the unit specs: one amoCRM account (two pipelines, two users, typed fields) and one LPTracker project. */
export const AMOCRM_META: AmocrmMetadata = {
  account: { id: 1, name: 'Test', subdomain: 'test', currentUserId: 7, currency: 'RUB' },
  users: [
    { id: 7, name: 'Иванов', email: null, isAdmin: true, isActive: true },
    { id: 8, name: 'Петров', email: null, isAdmin: false, isActive: true },
  ],
  pipelines: [
    {
      id: 1,
      name: 'Воронка',
      isMain: true,
      isArchive: false,
      sort: 1,
      statuses: [
        { id: 11, name: 'Новая', color: null, type: 0, sort: 1 },
        { id: 12, name: 'Оплачено', color: null, type: 0, sort: 2 },
      ],
    },
    {
      id: 2,
      name: 'VIP',
      isMain: false,
      isArchive: false,
      sort: 2,
      statuses: [{ id: 21, name: 'Новая VIP', color: null, type: 0, sort: 1 }],
    },
  ],
  contactFields: [{ id: 500, name: 'Город', code: null, type: 'text', sort: 1, enums: null }],
  leadFields: [
    { id: 100, name: 'Комментарий', code: null, type: 'text', sort: 1, enums: null },
    { id: 101, name: 'Бюджет 2', code: null, type: 'numeric', sort: 2, enums: null },
    { id: 102, name: 'Дата визита', code: null, type: 'date', sort: 3, enums: null },
    {
      id: 103,
      name: 'Канал',
      code: null,
      type: 'select',
      sort: 4,
      enums: [
        { id: 1031, value: 'Сайт', sort: 1 },
        { id: 1032, value: 'Звонок', sort: 2 },
      ],
    },
    {
      id: 104,
      name: 'Услуги',
      code: null,
      type: 'multiselect',
      sort: 5,
      enums: [
        { id: 1041, value: 'Кухня', sort: 1 },
        { id: 1042, value: 'Шкаф', sort: 2 },
      ],
    },
    { id: 105, name: 'Оплачен', code: null, type: 'checkbox', sort: 6, enums: null },
  ],
  fetchedAt: new Date('2026-12-01T00:00:00Z'),
};

export const LPTRACKER_META: LptrackerProjectMetadata = {
  project: { id: 77, name: 'Проект', domain: null },
  customs: [
    { id: 900, name: 'Откуда', type: 'text', options: null },
    { id: 901, name: 'Тип', type: 'cats', options: ['Опт', 'Розница'] },
  ],
  contactFields: [{ id: 950, name: 'Должность', type: 'text' }],
  funnel: [
    { id: 61, name: 'Новый' },
    { id: 62, name: 'Продажа' },
  ],
  staff: [{ id: 71, name: 'Сидоров', job: null }],
  fetchedAt: new Date('2026-12-01T00:00:00Z'),
};

export const RULE_META: RuleMetadata = { amocrm: AMOCRM_META, lptracker: [LPTRACKER_META] };
