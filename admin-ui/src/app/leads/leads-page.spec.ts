import { provideHttpClient, withInterceptors } from '@angular/common/http';
import {
  HttpTestingController,
  type TestRequest,
  provideHttpClientTesting,
} from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { MatPaginatorIntl } from '@angular/material/paginator';
import { Router, provideRouter } from '@angular/router';

import { METADATA, contact, lead, page } from '../../testing/amocrm-fixtures';
import {
  clearOverlays,
  overlayTestId,
  provideNoMaterialAnimations,
  settle,
  snackBarText,
} from '../../testing/overlay-helpers';
import { byTestId, makeUser, registerIcons, storeSession, text, typeInto } from '../../testing/test-helpers';
import { authInterceptor } from '../core/auth/auth.interceptor';
import { I18nPaginatorIntl } from '../core/i18n/i18n-paginator-intl';
import { CONTACT_SEARCH_DEBOUNCE_MS } from './lead-create-dialog';
import { BlobSaver } from '../shared/export/blob-saver';
import LeadsPage, { LEADS_SEARCH_DEBOUNCE_MS } from './leads-page';
import type { Lead } from '../shared/records/leads.models';

const PAPER = lead({ id: 'l-1', name: 'Поставка бумаги', contactId: 'c-1', price: 150000 });
const WON = lead({
  id: 'l-2',
  name: 'Опт: картон',
  pipelineId: 200,
  statusId: 142,
  status: 'Сделка закрыта',
  price: null,
});
const UNKNOWN_STAGE = lead({ id: 'l-3', name: 'Старая', statusId: 999, status: 'Старый этап' });

describe('LeadsPage', () => {
  let fixture: ComponentFixture<LeadsPage>;
  let backend: HttpTestingController;

  beforeEach(async () => {
    localStorage.clear();
    storeSession(makeUser('manager'));
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(withInterceptors([authInterceptor])),
        provideHttpClientTesting(),
        provideRouter([]),
        provideNoMaterialAnimations(),
        { provide: LEADS_SEARCH_DEBOUNCE_MS, useValue: 0 },
        { provide: CONTACT_SEARCH_DEBOUNCE_MS, useValue: 0 },
        { provide: MatPaginatorIntl, useClass: I18nPaginatorIntl },
      ],
    });
    registerIcons();
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(LeadsPage);
    await fixture.whenStable();
    backend.expectOne('/api/v1/connections/amocrm/metadata').flush(METADATA);
    await settle();
  });

  afterEach(() => {
    backend.verify();
    clearOverlays();
  });

  function listRequest(): TestRequest {
    return backend.expectOne((req) => req.method === 'GET' && req.url === '/api/v1/leads');
  }

  function params(req: TestRequest): Record<string, string> {
    const { params } = req.request;
    return Object.fromEntries(params.keys().map((key) => [key, params.get(key) ?? '']));
  }

  async function answer(req: TestRequest, items: Lead[], total = items.length): Promise<void> {
    req.flush(page(items, total));
    await settle();
    for (const contactReq of backend.match((r) => r.url.startsWith('/api/v1/contacts/'))) {
      contactReq.flush(contact({ id: 'c-1', name: 'Иван Петров' }));
    }
    await settle();
  }

  function rows(): HTMLElement[] {
    return Array.from((fixture.nativeElement as HTMLElement).querySelectorAll('[data-testid="lead-row"]'));
  }

  function chip(row: HTMLElement | undefined): HTMLElement {
    const element = row?.querySelector<HTMLElement>('[data-testid="lead-status-chip"]');
    if (!element) {
      throw new Error('no status chip');
    }
    return element;
  }

  async function choose(selectTestId: string, optionTestId: string): Promise<void> {
    byTestId(fixture, selectTestId).click();
    await settle();
    overlayTestId(optionTestId).click();
    await settle();
  }

  it('shows stages as chips coloured like in amoCRM, budgets in roubles and the contact', async () => {
    await answer(listRequest(), [PAPER, WON, UNKNOWN_STAGE]);
    const [paper, won, unknown] = rows();

    expect(text(chip(paper))).toBe('Первичный контакт');
    expect(chip(paper).getAttribute('data-color')).toBe('#99ccff');
    expect(chip(paper).style.getPropertyValue('--chip-fg')).toBe('#1d1b20');
    // Stage 142 exists in every pipeline: the lead's own pipeline decides its name.
    expect(text(chip(won))).toBe('Сделка закрыта');
    expect(chip(won).getAttribute('data-color')).toBe('#ccff66');
    // A stage the metadata does not know keeps the stored name and the neutral look.
    expect(text(chip(unknown))).toBe('Старый этап');
    expect(chip(unknown).getAttribute('data-color')).toBeNull();

    expect(text(paper?.querySelector('[data-testid="lead-price"]') ?? null).replace(/\s/g, ' ')).toBe(
      '150 000 ₽',
    );
    const link = paper?.querySelector<HTMLAnchorElement>('[data-testid="lead-contact-link"]');
    expect(text(link ?? null)).toBe('Иван Петров');
    expect(link?.getAttribute('href')).toBe('/contacts?open=c-1');
  });

  it('filters by pipeline, then by stage: the query carries pipelineId and statusId', async () => {
    await answer(listRequest(), [PAPER]);
    expect(byTestId(fixture, 'leads-filter-status').getAttribute('aria-disabled')).toBe('true');

    await choose('leads-filter-pipeline', 'leads-filter-pipeline-100');
    const byPipeline = listRequest();
    expect(params(byPipeline)).toEqual({ pipelineId: '100', page: '1', limit: '20' });
    await answer(byPipeline, [PAPER]);

    await choose('leads-filter-status', 'leads-filter-status-1003');
    const byStatus = listRequest();
    expect(params(byStatus)).toEqual({ pipelineId: '100', statusId: '1003', page: '1', limit: '20' });
    await answer(byStatus, []);
    expect(text(byTestId(fixture, 'leads-empty'))).toBe('По этим условиям ничего не нашлось.');

    typeInto(byTestId(fixture, 'leads-search'), 'бумага');
    await new Promise((resolve) => setTimeout(resolve));
    await settle();
    expect(params(listRequest())).toEqual({
      search: 'бумага',
      pipelineId: '100',
      statusId: '1003',
      page: '1',
      limit: '20',
    });
  });

  it('exports CSV with the chosen pipeline and stage', async () => {
    await answer(listRequest(), [PAPER]);
    await choose('leads-filter-pipeline', 'leads-filter-pipeline-100');
    await answer(listRequest(), [PAPER]);
    await choose('leads-filter-status', 'leads-filter-status-1003');
    await answer(listRequest(), [PAPER]);
    const save = vi.spyOn(TestBed.inject(BlobSaver), 'save').mockImplementation(() => undefined);

    await choose('leads-export', 'leads-export-csv');
    const req = backend.expectOne((r) => r.url === '/api/v1/leads/export.csv');
    expect(params(req)).toEqual({ pipelineId: '100', statusId: '1003' });
    req.flush(new Blob(['a;b']), {
      headers: { 'Content-Disposition': 'attachment; filename="leads-2026-12-07.csv"' },
    });
    await settle();
    expect(save).toHaveBeenCalledWith(expect.any(Blob), 'leads-2026-12-07.csv');
  });

  it('creates a lead with a new contact, a pipeline and a stage', async () => {
    await answer(listRequest(), []);
    byTestId(fixture, 'leads-create').click();
    await settle();

    typeInto(overlayTestId('lead-form-name'), 'Поставка бумаги');
    overlayTestId('lead-form-contact-new').querySelector('button')?.click();
    await settle();
    typeInto(overlayTestId('lead-form-contact-name'), 'Иван Петров');
    typeInto(overlayTestId('lead-form-contact-phone'), '+7 916 123-45-67');
    overlayTestId('lead-form-pipeline').click();
    await settle();
    overlayTestId('lead-form-pipeline-200').click();
    await settle();
    overlayTestId('lead-form-status').click();
    await settle();
    overlayTestId('lead-form-status-2001').click();
    await settle();
    typeInto(overlayTestId('lead-form-price'), '150000');
    overlayTestId('lead-form-submit').click();
    await settle();

    const req = backend.expectOne({ method: 'POST', url: '/api/v1/leads' });
    expect(req.request.body).toEqual({
      name: 'Поставка бумаги',
      contact: { name: 'Иван Петров', phone: '+7 916 123-45-67' },
      pipelineId: 200,
      statusId: 2001,
      price: 150000,
    });
    req.flush({ ...PAPER, created: true }, { status: 201, statusText: 'Created' });
    await settle();
    expect(snackBarText()).toContain('Сделка «Поставка бумаги» создана.');
    await answer(listRequest(), [PAPER]);
    backend.expectOne('/api/v1/leads/l-1').flush(PAPER);
    await settle();
    // the notice is not hidden under the side sheet: its overlay comes after the sheet's
    const wrappers = Array.from(document.querySelectorAll('.cdk-global-overlay-wrapper'));
    const notice = wrappers.findIndex((wrapper) => wrapper.querySelector('.mat-mdc-snack-bar-container'));
    const sheet = wrappers.findIndex((wrapper) => wrapper.querySelector('.app-side-sheet-panel'));
    expect(sheet).toBeGreaterThanOrEqual(0);
    expect(notice).toBeGreaterThan(sheet);
  });

  it('new deal form: the main pipeline is listed once and shown chosen, the first stage shows when chosen, «Контакт» is marked required', async () => {
    await answer(listRequest(), []);
    byTestId(fixture, 'leads-create').click();
    await settle();

    expect(text(overlayTestId('lead-form-contact-label'))).toBe('Контакт *');
    expect(overlayTestId('lead-form-contact-search').hasAttribute('required')).toBe(true);
    expect(text(overlayTestId('lead-form-pipeline'))).toBe('Продажи');
    overlayTestId('lead-form-pipeline').click();
    await settle();
    const names = Array.from(document.querySelectorAll('.cdk-overlay-container mat-option')).map(text);
    expect(names.filter((name) => name === 'Продажи')).toHaveLength(1);
    expect(names).not.toContain('Основная воронка');
    overlayTestId('lead-form-pipeline-100').click();
    await settle();
    expect(text(overlayTestId('lead-form-pipeline'))).toBe('Продажи');

    overlayTestId('lead-form-status').click();
    await settle();
    overlayTestId('lead-form-status-1003').click();
    await settle();
    overlayTestId('lead-form-status').click();
    await settle();
    overlayTestId('lead-form-status-default').click();
    await settle();
    expect(text(overlayTestId('lead-form-status'))).toBe('Первый этап воронки');
  });

  it('creates a lead for a contact found by search: sends its contactId; an open lead found is explained', async () => {
    await answer(listRequest(), []);
    byTestId(fixture, 'leads-create').click();
    await settle();

    typeInto(overlayTestId('lead-form-name'), 'Поставка бумаги');
    overlayTestId('lead-form-submit').click();
    await settle();
    expect(text(document.querySelector('.cdk-overlay-container mat-error'))).toBe(
      'Выберите контакт из списка.',
    );
    backend.expectNone('/api/v1/leads');

    overlayTestId('lead-form-contact-search').focus();
    typeInto(overlayTestId('lead-form-contact-search'), 'Иван');
    await new Promise((resolve) => setTimeout(resolve));
    await settle();
    const search = backend.expectOne((req) => req.url === '/api/v1/contacts');
    expect(search.request.params.get('search')).toBe('Иван');
    search.flush(page([contact({ id: 'c-1', name: 'Иван Петров' })]));
    await settle();
    overlayTestId('lead-form-contact-option').click();
    await settle();
    overlayTestId('lead-form-submit').click();
    await settle();

    const req = backend.expectOne({ method: 'POST', url: '/api/v1/leads' });
    expect(req.request.body).toEqual({ name: 'Поставка бумаги', contactId: 'c-1' });
    req.flush({ ...PAPER, created: false, contact: { id: 'c-1', name: 'Иван Петров' } });
    await settle();
    expect(snackBarText()).toContain('Сделка уже была — открыта существующая.');
    backend.expectOne('/api/v1/leads/l-1').flush(PAPER);
    await settle();
  });

  it('changes the stage from the drawer with a PATCH', async () => {
    await answer(listRequest(), [PAPER]);
    rows()[0]?.click();
    await settle();
    backend.expectOne('/api/v1/leads/l-1').flush(PAPER);
    await settle();

    overlayTestId('lead-status-select').click();
    await settle();
    overlayTestId('lead-status-option-100:142').click();
    await settle();
    overlayTestId('lead-status-apply').click();
    await settle();

    const req = backend.expectOne({ method: 'PATCH', url: '/api/v1/leads/l-1' });
    expect(req.request.body).toEqual({ pipelineId: 100, statusId: 142 });
    req.flush({ ...PAPER, statusId: 142, status: 'Успешно реализовано' });
    await settle();

    expect(text(chip(rows()[0]))).toBe('Успешно реализовано');
    expect(snackBarText()).toContain('Этап сделки: «Успешно реализовано».');
  });

  it('sorts on the server by a clicked column header, keeping the filters, and puts the order in the address', async () => {
    const navigate = vi.spyOn(TestBed.inject(Router), 'navigate').mockResolvedValue(true);
    await answer(listRequest(), [PAPER, WON]);

    byTestId(fixture, 'leads-sort-price').click();
    await settle();
    const ascending = listRequest();
    expect(params(ascending)).toEqual({ sort: 'price', order: 'asc', page: '1', limit: '20' });
    await answer(ascending, [WON, PAPER]);
    expect(navigate).toHaveBeenLastCalledWith(
      [],
      expect.objectContaining({ queryParams: { sort: 'price', order: 'asc' } }),
    );

    fixture.componentRef.setInput('sort', 'name');
    fixture.componentRef.setInput('order', 'desc');
    await settle();
    const byName = listRequest();
    expect(params(byName)).toEqual({ sort: 'name', order: 'desc', page: '1', limit: '20' });
    await answer(byName, [PAPER, WON]);
    expect(byTestId(fixture, 'leads-sort-name').getAttribute('aria-sort')).toBe('descending');
  });
});
