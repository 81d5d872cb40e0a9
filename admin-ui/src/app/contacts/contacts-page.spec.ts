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
  queryOverlayTestId,
  settle,
  snackBarText,
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
import type { Role } from '../core/auth/auth.models';
import { authInterceptor } from '../core/auth/auth.interceptor';
import { I18nPaginatorIntl } from '../core/i18n/i18n-paginator-intl';
import { BlobSaver } from '../shared/export/blob-saver';
import ContactsPage, { CONTACTS_SEARCH_DEBOUNCE_MS } from './contacts-page';
import type { Contact } from '../shared/records/contacts.models';

const IVAN = contact({
  id: 'c-1',
  name: 'Иван Петров',
  phones: ['+79161234567', '+74951234567'],
  customFields: [{ fieldId: 502, values: [{ value: 'Москва', enumId: 11 }] }],
});
const OLGA = contact({
  id: 'c-2',
  name: 'Ольга',
  phone: null,
  phones: [],
  email: 'olga@example.ru',
  emails: ['olga@example.ru'],
});

describe('ContactsPage', () => {
  let fixture: ComponentFixture<ContactsPage>;
  let backend: HttpTestingController;

  async function render(role: Role = 'manager', address: Record<string, string> = {}): Promise<void> {
    localStorage.clear();
    storeSession(makeUser(role));
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(withInterceptors([authInterceptor])),
        provideHttpClientTesting(),
        provideRouter([]),
        provideNoMaterialAnimations(),
        { provide: CONTACTS_SEARCH_DEBOUNCE_MS, useValue: 0 },
        { provide: MatPaginatorIntl, useClass: I18nPaginatorIntl },
      ],
    });
    registerIcons();
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(ContactsPage);
    for (const [name, value] of Object.entries(address)) fixture.componentRef.setInput(name, value);
    await fixture.whenStable();
  }

  afterEach(() => {
    backend.verify();
    clearOverlays();
  });

  function listRequest(): TestRequest {
    return backend.expectOne((req) => req.method === 'GET' && req.url === '/api/v1/contacts');
  }

  function params(req: TestRequest): Record<string, string> {
    const { params } = req.request;
    return Object.fromEntries(params.keys().map((key) => [key, params.get(key) ?? '']));
  }

  async function answer(req: TestRequest, items: Contact[], total = items.length): Promise<void> {
    req.flush(page(items, total));
    await settle();
  }

  function rows(): HTMLElement[] {
    return Array.from((fixture.nativeElement as HTMLElement).querySelectorAll('[data-testid="contact-row"]'));
  }

  it('asks the server for the first page and lists the contacts with their phones', async () => {
    await render();
    const req = listRequest();
    expect(params(req)).toEqual({ page: '1', limit: '20' });
    await answer(req, [IVAN, OLGA]);

    expect(byTestId(fixture, 'contacts-table')).toBeTruthy();
    expect(rows().map((row) => row.getAttribute('data-phone'))).toEqual(['+79161234567', null]);
    expect(text(rows()[0] ?? null)).toContain('+7 916 123-45-67');
    expect(text(rows()[0] ?? null)).toContain('+1');
    expect(text(byTestId(fixture, 'contacts-sort'))).toContain('Добавлен');
  });

  it('searches on the server (debounced) and pages with the paginator', async () => {
    await render();
    await answer(listRequest(), [IVAN], 45);

    typeInto(byTestId(fixture, 'contacts-search'), ' 916 123 ');
    await new Promise((resolve) => setTimeout(resolve));
    await settle();
    const search = listRequest();
    expect(params(search)).toEqual({ search: '916 123', page: '1', limit: '20' });
    await answer(search, [IVAN], 45);

    byTestId(fixture, 'contacts-paginator')
      .querySelector<HTMLElement>('.mat-mdc-paginator-navigation-next')
      ?.click();
    await settle();
    expect(params(listRequest())).toEqual({ search: '916 123', page: '2', limit: '20' });
  });

  it('exports with the current search (Excel) through the export button', async () => {
    await render('viewer');
    await answer(listRequest(), [IVAN]);
    typeInto(byTestId(fixture, 'contacts-search'), ' Иван ');
    await new Promise((resolve) => setTimeout(resolve));
    await settle();
    await answer(listRequest(), [IVAN]);
    const save = vi.spyOn(TestBed.inject(BlobSaver), 'save').mockImplementation(() => undefined);

    byTestId(fixture, 'contacts-export').click();
    await settle();
    overlayTestId('contacts-export-xlsx').click();
    await settle();
    const req = backend.expectOne((r) => r.url === '/api/v1/contacts/export.xlsx');
    expect(params(req)).toEqual({ search: 'Иван' });
    req.flush(new Blob(['x']), {
      headers: { 'Content-Disposition': 'attachment; filename="contacts-2026-12-07.xlsx"' },
    });
    await settle();
    expect(save).toHaveBeenCalledWith(expect.any(Blob), 'contacts-2026-12-07.xlsx');
  });

  it('tells when the search found nothing', async () => {
    await render();
    await answer(listRequest(), [IVAN]);
    typeInto(byTestId(fixture, 'contacts-search'), 'Зоя');
    await new Promise((resolve) => setTimeout(resolve));
    await settle();
    await answer(listRequest(), []);
    expect(text(byTestId(fixture, 'contacts-empty'))).toBe('Ничего не нашлось по запросу «Зоя».');
  });

  it('hides the create button from a viewer', async () => {
    await render('viewer');
    await answer(listRequest(), []);
    expect(queryTestId(fixture, 'contacts-create')).toBeNull();
  });

  async function createThrough(answerStatus: 201 | 200, created: boolean): Promise<void> {
    await render();
    await answer(listRequest(), [OLGA]);
    byTestId(fixture, 'contacts-create').click();
    await settle();
    typeInto(overlayTestId('contact-form-name'), 'Иван Петров');
    typeInto(overlayTestId('contact-form-phone'), '+7 916 123-45-67');
    overlayTestId('contact-form-submit').click();
    await settle();
    backend
      .expectOne({ method: 'POST', url: '/api/v1/contacts' })
      .flush({ ...IVAN, created }, { status: answerStatus, statusText: created ? 'Created' : 'OK' });
    await settle();
  }

  function flushDrawer(): void {
    backend.expectOne({ method: 'GET', url: '/api/v1/contacts/c-1' }).flush(IVAN);
    backend.expectOne((req) => req.url === '/api/v1/leads').flush(page([]));
    for (const req of backend.match('/api/v1/connections/amocrm/metadata')) {
      req.flush(METADATA);
    }
  }

  it('creates a contact (201): says so, reloads the list and opens it', async () => {
    await createThrough(201, true);
    expect(snackBarText()).toContain('Контакт «Иван Петров» создан.');
    await answer(listRequest(), [IVAN, OLGA]);
    flushDrawer();
    await settle();
    expect(text(overlayTestId('contact-drawer-name'))).toBe('Иван Петров');
  });

  it('finds an existing contact (200): says it was already there and opens it', async () => {
    await createThrough(200, false);
    expect(snackBarText()).toContain('Контакт уже был — открыт существующий.');
    backend.expectNone((req) => req.url === '/api/v1/contacts' && req.method === 'GET');
    flushDrawer();
    await settle();
    expect(queryOverlayTestId('contact-drawer')).not.toBeNull();
  });

  it('shows a contact in the drawer: every phone, custom fields named from the metadata, linked leads', async () => {
    await render();
    await answer(listRequest(), [IVAN]);
    rows()[0]?.click();
    await settle();
    backend.expectOne({ method: 'GET', url: '/api/v1/contacts/c-1' }).flush(IVAN);
    const leadsReq = backend.expectOne((req) => req.url === '/api/v1/leads');
    expect(leadsReq.request.params.get('contactId')).toBe('c-1');
    leadsReq.flush(page([lead({ id: 'l-1', name: 'Поставка бумаги', contactId: 'c-1' })]));
    backend.expectOne('/api/v1/connections/amocrm/metadata').flush(METADATA);
    await settle();

    const phones = Array.from(overlayTestId('contact-drawer-phones').querySelectorAll('a')).map((a) =>
      text(a),
    );
    expect(phones).toEqual(['+7 916 123-45-67', '+7 495 123-45-67']);
    const fields = overlayTestId('contact-drawer-fields');
    const pairs = Array.from(fields.querySelectorAll('dt')).map(
      (dt) => `${text(dt)}: ${text(dt.nextElementSibling)}`,
    );
    expect(pairs).toEqual(['Город: Москва']);
    expect(text(overlayTestId('contact-drawer-amocrm-id'))).toBe('9001');
    expect(text(overlayTestId('contact-drawer-leads'))).toContain('Поставка бумаги');
    expect(text(overlayTestId('contact-drawer-leads'))).toContain('Первичный контакт');
  });

  it('edits a contact from the drawer (manager): a PATCH, and the row follows', async () => {
    await render();
    await answer(listRequest(), [IVAN]);
    rows()[0]?.click();
    await settle();
    flushDrawer();
    await settle();

    overlayTestId('contact-edit').click();
    await settle();
    typeInto(overlayTestId('contact-edit-name'), 'Иван Сергеевич');
    typeInto(overlayTestId('contact-edit-email'), 'ivan.s@example.ru');
    overlayTestId('contact-edit-submit').click();
    await settle();

    const req = backend.expectOne({ method: 'PATCH', url: '/api/v1/contacts/c-1' });
    expect(req.request.body).toEqual({ name: 'Иван Сергеевич', email: 'ivan.s@example.ru' });
    req.flush({ ...IVAN, name: 'Иван Сергеевич' });
    await settle();

    expect(text(overlayTestId('contact-drawer-name'))).toBe('Иван Сергеевич');
    expect(text(rows()[0] ?? null)).toContain('Иван Сергеевич');
    expect(snackBarText()).toContain('Контакт сохранён.');
  });

  it('sorts on the server by a clicked column header (asc, then desc) and keeps the order in the address', async () => {
    await render();
    const navigate = vi.spyOn(TestBed.inject(Router), 'navigate').mockResolvedValue(true);
    await answer(listRequest(), [IVAN, OLGA]);

    byTestId(fixture, 'contacts-sort-name').click();
    await settle();
    expect(params(listRequest())).toEqual({ sort: 'name', order: 'asc', page: '1', limit: '20' });
    expect(navigate).toHaveBeenLastCalledWith(
      [],
      expect.objectContaining({ queryParams: { sort: 'name', order: 'asc' } }),
    );

    byTestId(fixture, 'contacts-sort-name').click();
    await settle();
    const descending = listRequest();
    expect(params(descending)).toEqual({ sort: 'name', order: 'desc', page: '1', limit: '20' });
    await answer(descending, [OLGA, IVAN]);
    expect(byTestId(fixture, 'contacts-sort-name').getAttribute('aria-sort')).toBe('descending');
  });

  it('opens sorted as the address says, and ignores a column the list cannot sort by', async () => {
    await render('manager', { sort: 'phone', order: 'desc' });
    expect(params(listRequest())).toEqual({ sort: 'phone', order: 'desc', page: '1', limit: '20' });
    fixture.componentRef.setInput('sort', 'password');
    await settle();
    expect(params(listRequest())).toEqual({ page: '1', limit: '20' });
  });
});
