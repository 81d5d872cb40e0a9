import { provideHttpClient, withInterceptors } from '@angular/common/http';
import {
  HttpTestingController,
  type TestRequest,
  provideHttpClientTesting,
} from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { MatPaginatorIntl } from '@angular/material/paginator';
import { Router, provideRouter } from '@angular/router';

import { page, problem } from '../../testing/amocrm-fixtures';
import {
  clearOverlays,
  overlayTestId,
  provideNoMaterialAnimations,
  settle,
} from '../../testing/overlay-helpers';
import {
  byTestId,
  makeUser,
  queryTestId,
  registerIcons,
  storeSession,
  text,
  typeInto,
} from '../../testing/test-helpers';
import { authInterceptor } from '../core/auth/auth.interceptor';
import { I18nPaginatorIntl } from '../core/i18n/i18n-paginator-intl';
import LinksPage, { LINKS_SEARCH_DEBOUNCE_MS } from './links-page';
import type { LeadLink } from './links.models';

function link(overrides: Partial<LeadLink> = {}): LeadLink {
  return {
    id: 'k-1',
    projectId: 101,
    lptrackerLeadId: 5551,
    amocrmLeadId: 9001,
    leadId: 'l-1',
    contactId: 'c-1',
    lptrackerStage: { id: 1, name: 'Новая' },
    amocrmStatus: { pipelineId: 10, statusId: 100, pipelineName: 'Продажи', statusName: 'Первичный контакт' },
    leadName: 'Заявка с сайта',
    contactName: 'Анна',
    phone: '+79991234567',
    createdAs: 'unsorted',
    lastDirection: 'lptracker_to_amocrm',
    lastSyncedAt: '2026-03-05T10:00:00.000Z',
    ...overrides,
  };
}

describe('LinksPage', () => {
  let fixture: ComponentFixture<LinksPage>;
  let backend: HttpTestingController;

  beforeEach(async () => {
    localStorage.clear();
    storeSession(makeUser('viewer'));
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(withInterceptors([authInterceptor])),
        provideHttpClientTesting(),
        provideRouter([]),
        provideNoMaterialAnimations(),
        { provide: LINKS_SEARCH_DEBOUNCE_MS, useValue: 0 },
        { provide: MatPaginatorIntl, useClass: I18nPaginatorIntl },
      ],
    });
    registerIcons();
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(LinksPage);
    await fixture.whenStable();
  });

  afterEach(() => {
    backend.verify();
    clearOverlays();
  });

  function listRequest(): TestRequest {
    return backend.expectOne((req) => req.method === 'GET' && req.url === '/api/v1/links');
  }

  function params(req: TestRequest): Record<string, string> {
    const { params } = req.request;
    return Object.fromEntries(params.keys().map((key) => [key, params.get(key) ?? '']));
  }

  async function search(value: string): Promise<void> {
    typeInto(byTestId(fixture, 'links-search'), value);
    await new Promise((resolve) => setTimeout(resolve, 0));
    await settle();
  }

  it('shows both leads with their stages, the contact, how the lead was made and the last sync', async () => {
    listRequest().flush(page([link()]));
    await settle();

    const row = byTestId(fixture, 'link-row');
    expect(text(row.querySelector('[data-testid="link-lptracker-lead"]'))).toBe('Заявка №5551');
    expect(text(row.querySelector('[data-testid="link-lptracker-stage"]'))).toBe('Новая');
    expect(text(row.querySelector('[data-testid="link-amocrm-status"]'))).toBe('Продажи · Первичный контакт');
    expect(row.querySelector('[data-testid="link-lead"]')?.getAttribute('href')).toBe('/leads?open=l-1');
    expect(text(row)).toContain('Анна');
    expect(text(row)).toContain('В «Неразобранное»');
    expect(text(row)).toContain('LPTracker → amoCRM');
  });

  it('searches by phone, and by a lead number only when it is a number', async () => {
    expect(params(listRequest())).toEqual({ page: '1', limit: '20' });

    await search('+7 999 123-45-67');
    const byPhone = listRequest();
    expect(params(byPhone)).toEqual({ phone: '+7 999 123-45-67', page: '1', limit: '20' });
    byPhone.flush(page([link()]));
    await settle();
    expect(queryTestId(fixture, 'links-not-a-number')).toBeNull();

    byTestId(fixture, 'links-search-kind').click();
    await settle();
    overlayTestId('links-search-kind-amocrmLeadId').click();
    await settle();
    // The phone typed is not a lead number: nothing is asked, the field says why.
    backend.expectNone('/api/v1/links');
    expect(queryTestId(fixture, 'links-not-a-number')).not.toBeNull();

    await search('9001');
    expect(params(listRequest())).toEqual({ amocrmLeadId: '9001', page: '1', limit: '20' });
  });

  it('says under the field when the server cannot read the phone searched for', async () => {
    listRequest().flush(page([link()]));
    await settle();
    await search('12');
    listRequest().flush(
      ...problem(400, {
        errors: [{ field: 'phone', code: 'phone', message: 'phone is not a valid phone number' }],
      }),
    );
    await settle();

    expect(text(byTestId(fixture, 'links-not-a-phone'))).toBe('Это не похоже на номер телефона.');
    expect(queryTestId(fixture, 'links-error')).toBeNull();
    expect(queryTestId(fixture, 'link-row')).toBeNull();
  });

  it('sorts on the server by a clicked column header, with the search, and keeps the order in the address', async () => {
    listRequest().flush(page([link()]));
    await settle();
    await search('+7 916 123-45-67');
    listRequest().flush(page([link()]));
    await settle();

    byTestId(fixture, 'links-sort-lptracker').click();
    await settle();
    expect(params(listRequest())).toEqual({
      phone: '+7 916 123-45-67',
      sort: 'lptrackerLeadId',
      order: 'asc',
      page: '1',
      limit: '20',
    });
    expect(TestBed.inject(Router).url).toContain('sort=lptrackerLeadId&order=asc');
  });
});
