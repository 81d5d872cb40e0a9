import { HttpHeaders } from '@angular/common/http';

import type { AmocrmConnection, AmocrmMetadata } from '../app/core/amocrm/amocrm.models';
import type { Contact } from '../app/shared/records/contacts.models';
import type { Lead } from '../app/shared/records/leads.models';

/** Test data of the amoCRM connection, contacts and leads pages. */

export function connection(overrides: Partial<AmocrmConnection> = {}): AmocrmConnection {
  return {
    status: 'connected',
    authKind: 'long_lived',
    accountId: 31000001,
    accountName: 'ООО «Ромашка»',
    subdomain: 'romashka',
    tokenExpiresAt: '2027-01-01T00:00:00.000Z',
    lastError: null,
    pausedReason: null,
    connectedAt: '2026-03-01T09:00:00.000Z',
    source: 'manual',
    clientId: null,
    redirectUri: null,
    ...overrides,
  };
}

export const NOT_CONNECTED = connection({
  status: 'not_connected',
  authKind: null,
  accountId: null,
  accountName: null,
  subdomain: null,
  tokenExpiresAt: null,
  connectedAt: null,
  source: null,
});

export const METADATA: AmocrmMetadata = {
  fetchedAt: '2026-03-05T10:00:00.000Z',
  account: { id: 31000001, name: 'ООО «Ромашка»', subdomain: 'romashka', currentUserId: 7, currency: 'RUB' },
  users: [
    { id: 7, name: 'Анна Смирнова', email: 'anna@romashka.ru', isAdmin: true, isActive: true },
    { id: 8, name: 'Борис Котов', email: null, isAdmin: false, isActive: false },
  ],
  pipelines: [
    {
      id: 100,
      name: 'Продажи',
      isMain: true,
      isArchive: false,
      sort: 1,
      statuses: [
        { id: 1001, name: 'Неразобранное', color: '#c1c1c1', type: 1, sort: 10 },
        { id: 1002, name: 'Первичный контакт', color: '#99ccff', type: 0, sort: 20 },
        { id: 1003, name: 'Переговоры', color: '#ffcc66', type: 0, sort: 30 },
        { id: 142, name: 'Успешно реализовано', color: '#CCFF66', type: 0, sort: 10000 },
        { id: 143, name: 'Закрыто и не реализовано', color: '#D5D8DB', type: 0, sort: 11000 },
      ],
    },
    {
      id: 200,
      name: 'Опт',
      isMain: false,
      isArchive: false,
      sort: 2,
      statuses: [
        { id: 2001, name: 'Заявка', color: '#1a237e', type: 0, sort: 10 },
        { id: 142, name: 'Сделка закрыта', color: '#CCFF66', type: 0, sort: 10000 },
      ],
    },
  ],
  contactFields: [
    {
      id: 501,
      name: 'Телефон',
      code: 'PHONE',
      type: 'multitext',
      sort: 1,
      enums: [{ id: 1, value: 'WORK', sort: 1 }],
    },
    {
      id: 502,
      name: 'Город',
      code: null,
      type: 'select',
      sort: 2,
      enums: [
        { id: 11, value: 'Москва', sort: 1 },
        { id: 12, value: 'Казань', sort: 2 },
      ],
    },
  ],
  leadFields: [{ id: 601, name: 'Источник', code: null, type: 'text', sort: 1, enums: null }],
};

export function contact(overrides: Partial<Contact> & Pick<Contact, 'id' | 'name'>): Contact {
  return {
    amocrmId: 9001,
    phone: '+79161234567',
    email: 'ivan@example.ru',
    phones: ['+79161234567'],
    emails: ['ivan@example.ru'],
    responsibleUserId: 7,
    customFields: [],
    createdAt: '2026-03-01T09:00:00.000Z',
    updatedAt: '2026-03-02T09:00:00.000Z',
    syncedAt: '2026-03-02T09:00:00.000Z',
    ...overrides,
  };
}

export function lead(overrides: Partial<Lead> & Pick<Lead, 'id' | 'name'>): Lead {
  return {
    amocrmId: 7001,
    statusId: 1002,
    status: 'Первичный контакт',
    pipelineId: 100,
    price: 150000,
    contactId: null,
    responsibleUserId: 7,
    customFields: [],
    tags: [],
    source: 'api',
    createdAt: '2026-03-01T09:00:00.000Z',
    updatedAt: '2026-03-02T09:00:00.000Z',
    syncedAt: null,
    closedAt: null,
    ...overrides,
  };
}

export function page<T>(items: T[], total = items.length, pageNumber = 1, limit = 20) {
  return { items, total, page: pageNumber, limit };
}

/** A problem+json error answer for `TestRequest.flush(body, options)`. */
export function problem(
  status: number,
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
): [Record<string, unknown>, { status: number; statusText: string; headers: HttpHeaders }] {
  return [
    { type: 'about:blank', title: 'Error', status, detail: 'failed', ...body },
    { status, statusText: 'Error', headers: new HttpHeaders(headers) },
  ];
}
