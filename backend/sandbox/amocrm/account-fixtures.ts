import {
  LOST_STATUS_ID,
  WON_STATUS_ID,
  type AmoUser,
  type CustomFieldDefinition,
  type CustomFieldType,
  type EntityKind,
  type Pipeline,
  type PipelineStatus,
} from './entity-records';
import type { IdKind } from './sandbox-runtime';

/** The metadata every new sandbox account starts with: users, pipelines, custom fields. */
export interface AccountFixtures {
  users: AmoUser[];
  /** The admin who authorised the integration (the token's user). */
  currentUserId: number;
  /** The manager the "simulated manager" control calls act as by default. */
  managerUserId: number;
  pipelines: Pipeline[];
  contactFields: CustomFieldDefinition[];
  leadFields: CustomFieldDefinition[];
  companyFields: CustomFieldDefinition[];
}

type NextId = (kind: IdKind) => number;

export function buildAccountFixtures(nextId: NextId): AccountFixtures {
  const users: AmoUser[] = [
    { id: nextId('user'), name: 'Андрей Соколов', email: 'a.sokolov@example.ru', isAdmin: true },
    { id: nextId('user'), name: 'Ольга Смирнова', email: 'o.smirnova@example.ru', isAdmin: false },
    { id: nextId('user'), name: 'Дмитрий Кузнецов', email: 'd.kuznetsov@example.ru', isAdmin: false },
  ];
  return {
    users,
    currentUserId: users[0].id,
    managerUserId: users[1].id,
    pipelines: [
      buildPipeline(nextId, 'Основная воронка', 1, true, [
        ['Первичный контакт', '#99ccff'],
        ['Переговоры', '#ffff99'],
        ['Принимают решение', '#ffcc66'],
        ['Согласование договора', '#ffcccc'],
      ]),
      buildPipeline(nextId, 'Повторные продажи', 2, false, [
        ['Новое обращение', '#98cbff'],
        ['Подготовка предложения', '#fffd7f'],
        ['Выставлен счёт', '#ffce5a'],
      ]),
    ],
    contactFields: [
      multitextField(nextId, 'contacts', 'Телефон', 'PHONE', 4, ['WORK', 'WORKDD', 'MOB', 'HOME', 'OTHER']),
      multitextField(nextId, 'contacts', 'Email', 'EMAIL', 6, ['WORK', 'PRIV', 'OTHER']),
      plainField(nextId, 'contacts', 'Должность', 'POSITION', 'text', 2, true),
      enumField(nextId, 'contacts', 'Источник клиента', 'select', 508, [
        'Сайт',
        'Реклама',
        'Рекомендация',
        'Входящий звонок',
        'Выставка',
      ]),
      plainField(nextId, 'contacts', 'Дата первого обращения', null, 'date', 510, false),
    ],
    leadFields: [
      plainField(nextId, 'leads', 'Комментарий', null, 'text', 501, false),
      plainField(nextId, 'leads', 'Количество мест', null, 'numeric', 502, false),
      enumField(nextId, 'leads', 'Источник заявки', 'select', 503, [
        'Сайт',
        'Яндекс.Директ',
        'ВКонтакте',
        'Звонок',
        'Партнёр',
      ]),
      enumField(nextId, 'leads', 'Услуги', 'multiselect', 504, [
        'Консультация',
        'Доставка',
        'Монтаж',
        'Гарантийное обслуживание',
      ]),
      plainField(nextId, 'leads', 'Дата встречи', null, 'date', 505, false),
      plainField(nextId, 'leads', 'Согласие на обработку ПД', null, 'checkbox', 506, false),
    ],
    companyFields: [
      multitextField(nextId, 'companies', 'Телефон', 'PHONE', 4, ['WORK', 'WORKDD', 'MOB', 'HOME', 'OTHER']),
      multitextField(nextId, 'companies', 'Email', 'EMAIL', 6, ['WORK', 'PRIV', 'OTHER']),
      plainField(nextId, 'companies', 'Web', 'WEB', 'url', 8, true),
    ],
  };
}

function buildPipeline(
  nextId: NextId,
  name: string,
  sort: number,
  isMain: boolean,
  stages: [string, string][],
): Pipeline {
  const id = nextId('pipeline');
  const status = (
    statusId: number,
    statusName: string,
    statusSort: number,
    color: string,
    type: 0 | 1,
    isEditable: boolean,
  ): PipelineStatus => ({
    id: statusId,
    name: statusName,
    sort: statusSort,
    color,
    type,
    isEditable,
    pipelineId: id,
  });
  return {
    id,
    name,
    sort,
    isMain,
    isArchive: false,
    statuses: [
      status(nextId('status'), 'Неразобранное', 10, '#c1c1c1', 1, false),
      ...stages.map(([stageName, color], index) =>
        status(nextId('status'), stageName, 20 + index * 10, color, 0, true),
      ),
      status(WON_STATUS_ID, 'Успешно реализовано', 10_000, '#CCFF66', 0, false),
      status(LOST_STATUS_ID, 'Закрыто и не реализовано', 11_000, '#D5D8DB', 0, false),
    ],
  };
}

function plainField(
  nextId: NextId,
  entityType: EntityKind,
  name: string,
  code: string | null,
  type: CustomFieldType,
  sort: number,
  isPredefined: boolean,
): CustomFieldDefinition {
  return { id: nextId('field'), name, code, type, sort, entityType, enums: null, isPredefined };
}

function multitextField(
  nextId: NextId,
  entityType: EntityKind,
  name: string,
  code: string,
  sort: number,
  enumCodes: string[],
): CustomFieldDefinition {
  return {
    id: nextId('field'),
    name,
    code,
    type: 'multitext',
    sort,
    entityType,
    isPredefined: true,
    enums: enumCodes.map((enumCode, index) => ({
      id: nextId('enum'),
      value: enumCode,
      sort: (index + 1) * 2,
      code: enumCode,
    })),
  };
}

function enumField(
  nextId: NextId,
  entityType: EntityKind,
  name: string,
  type: 'select' | 'multiselect',
  sort: number,
  options: string[],
): CustomFieldDefinition {
  return {
    id: nextId('field'),
    name,
    code: null,
    type,
    sort,
    entityType,
    isPredefined: false,
    enums: options.map((value, index) => ({
      id: nextId('enum'),
      value,
      sort: (index + 1) * 500,
      code: null,
    })),
  };
}
