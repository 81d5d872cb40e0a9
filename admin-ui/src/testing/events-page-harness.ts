import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { type TestRequest, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { MatPaginatorIntl } from '@angular/material/paginator';
import { provideRouter } from '@angular/router';

import { authInterceptor } from '../app/core/auth/auth.interceptor';
import type { Role } from '../app/core/auth/auth.models';
import { I18nPaginatorIntl } from '../app/core/i18n/i18n-paginator-intl';
import { EVENTS_POLL_INTERVAL_MS, EVENTS_SEARCH_DEBOUNCE_MS } from '../app/events/events-page';
import { eventItem } from '../app/events/events.fixtures';
import { provideNoMaterialAnimations } from './overlay-helpers';
import { makeUser, registerIcons, storeSession } from './test-helpers';

/** What the Events page specs share: sample events, the test module and request helpers. */
export const FAILED = eventItem({
  id: 'e-1',
  status: 'failed',
  attempts: 3,
  lastError: 'amoCRM answered 500',
  summary: { account: 'demo', entities: ['31415926', '27182818'] },
});
export const DUPLICATE = eventItem({
  id: 'e-2',
  type: 'contacts.update',
  status: 'skipped',
  skipReason: 'duplicate',
  summary: { contactId: 555 },
});
export const OTHER = eventItem({ id: 'e-3', source: 'lptracker', type: 'call.finished', status: 'queued' });

export function configure(role: Role, pollMs = 60_000): void {
  localStorage.clear();
  storeSession(makeUser(role));
  TestBed.configureTestingModule({
    providers: [
      provideHttpClient(withInterceptors([authInterceptor])),
      provideHttpClientTesting(),
      provideRouter([]),
      provideNoMaterialAnimations(),
      { provide: EVENTS_SEARCH_DEBOUNCE_MS, useValue: 0 },
      { provide: EVENTS_POLL_INTERVAL_MS, useValue: pollMs },
      { provide: MatPaginatorIntl, useClass: I18nPaginatorIntl },
    ],
  });
  registerIcons();
}

export function isList(req: { method: string; url: string }): boolean {
  return req.method === 'GET' && req.url === '/api/v1/events';
}

export function params(req: TestRequest): Record<string, string> {
  const { params } = req.request;
  return Object.fromEntries(params.keys().map((key) => [key, params.get(key) ?? '']));
}
