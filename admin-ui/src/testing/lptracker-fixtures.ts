import type {
  LptrackerConnection,
  LptrackerMetadata,
  LptrackerVisibleProject,
  LptrackerWebhook,
} from '../app/core/lptracker/lptracker.models';

/** Answers of the LPTracker connection API for the console specs. */
export const BASE = '/api/v1/connections/lptracker';

export const NOT_CONNECTED: LptrackerConnection = {
  connected: false,
  status: 'not_connected',
  login: null,
  projects: [],
  lastError: null,
  lastOkAt: null,
};

export function connection(overrides: Partial<LptrackerConnection> = {}): LptrackerConnection {
  return {
    connected: true,
    status: 'connected',
    login: 'sales@romashka.ru',
    projects: [{ id: 101, name: 'Сайт' }],
    lastError: null,
    lastOkAt: '2026-03-05T10:00:00.000Z',
    ...overrides,
  };
}

export const PROJECTS: LptrackerVisibleProject[] = [
  { id: 101, name: 'Сайт', domain: 'romashka.ru', enabled: true },
  { id: 102, name: 'Лендинг', domain: null, enabled: false },
];

export const METADATA: LptrackerMetadata = {
  projects: [
    {
      projectId: 101,
      name: 'Сайт',
      domain: 'romashka.ru',
      fetchedAt: '2026-03-05T10:00:00.000Z',
      customs: [{ id: 7, name: 'Город', type: 'cats', options: ['Москва', 'Казань'] }],
      contactFields: [{ id: 3, name: 'Телефон', type: 'phone' }],
      funnel: [
        { id: 1, name: 'Новая' },
        { id: 2, name: 'В работе' },
      ],
      staff: [{ id: 5, name: 'Ирина', job: 'Менеджер' }],
    },
  ],
};

export const WEBHOOK: LptrackerWebhook = {
  url: 'https://crm-sync.example.com/webhooks/lptracker/s3cr3t',
  wanted: false,
  projects: [{ projectId: 101, registered: false, others: 2, error: null }],
  lastReceivedAt: null,
};
