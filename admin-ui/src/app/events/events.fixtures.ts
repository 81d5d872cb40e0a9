import type { EventDetail, EventListItem, EventPage } from './events.models';

/** Test data for the events specs (not used by the app). */
export function eventItem(overrides: Partial<EventListItem> = {}): EventListItem {
  return {
    id: 'e-1',
    source: 'amocrm',
    type: 'leads.status',
    status: 'done',
    skipReason: null,
    summary: { account: 'demo', entities: ['31415926'] },
    attempts: 1,
    lastError: null,
    receivedAt: '2026-03-05T10:15:07.000Z',
    processedAt: '2026-03-05T10:15:08.000Z',
    nextAttemptAt: null,
    ...overrides,
  };
}

export function eventPage(items: EventListItem[], total = items.length, page = 1, limit = 20): EventPage {
  return { items, total, page, limit, totalCapped: false };
}

export const FORM_BODY =
  'leads%5Bstatus%5D%5B0%5D%5Bid%5D=31415926&leads%5Bstatus%5D%5B0%5D%5Bstatus_id%5D=142&account%5Bsubdomain%5D=demo';

export function eventDetail(overrides: Partial<EventDetail> = {}): EventDetail {
  return {
    ...eventItem({
      status: 'failed',
      attempts: 2,
      lastError: 'amoCRM answered 500',
      processedAt: '2026-03-05T10:16:00.000Z',
    }),
    contentType: 'application/x-www-form-urlencoded',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': 'amoCRM-Webhooks/3.0' },
    rawBody: FORM_BODY,
    rawBodyEncoding: 'utf8',
    keys: ['lead:status:31415926:1700000000'],
    idempotency: { owned: ['lead:status:31415926:1700000000'], duplicates: [] },
    changes: [{ entity: 'lead', action: 'status', id: 31415926, statusId: 142, oldStatusId: 1001 }],
    settingsVersion: 3,
    appliedSettingsVersion: 3,
    mode: 'retry',
    history: [
      {
        attempt: 1,
        mode: 'first',
        settingsVersion: 3,
        startedAt: '2026-03-05T10:15:07.500Z',
        durationMs: 320,
        result: 'retry',
        error: 'amoCRM answered 500',
        retryAt: '2026-03-05T10:15:37.000Z',
        steps: [
          { name: 'parse', ms: 1.2, ok: true },
          { name: 'amoCRM: load lead', ms: 310, ok: false, error: 'amoCRM answered 500' },
        ],
        skipped: [],
      },
      {
        attempt: 2,
        mode: 'retry',
        settingsVersion: 3,
        startedAt: '2026-03-05T10:15:38.000Z',
        durationMs: 150,
        result: 'failed',
        error: 'amoCRM answered 500',
        steps: [
          { name: 'parse', ms: 0.8, ok: true },
          { name: 'rules: 2 matched', ok: true },
          { name: 'amoCRM: update lead', ms: 140, ok: false, error: 'amoCRM answered 500' },
        ],
        skipped: [{ key: 'lead:status:1:1', reason: 'echo', detail: 'written by us' }],
      },
    ],
    errors: [],
    ...overrides,
  };
}
