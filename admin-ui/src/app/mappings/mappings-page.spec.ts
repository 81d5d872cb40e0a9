import { provideHttpClient, withInterceptors } from '@angular/common/http';
import {
  HttpTestingController,
  type TestRequest,
  provideHttpClientTesting,
} from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';

import { problem } from '../../testing/amocrm-fixtures';
import {
  clearOverlays,
  overlayTestId,
  provideNoMaterialAnimations,
  queryOverlayTestId,
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
import type { Role } from '../core/auth/auth.models';
import MappingsPage from './mappings-page';
import type { CurrentMapping } from './mappings.models';
import { BASE, CURRENT_URL, SUMMARIES, CATALOG, documentOf, current, version } from './mappings.fixtures';

describe('MappingsPage', { timeout: 20_000 }, () => {
  let fixture: ComponentFixture<MappingsPage>;
  let backend: HttpTestingController;

  async function open(role: Role, mapping: CurrentMapping = current()): Promise<void> {
    localStorage.clear();
    storeSession(makeUser(role));
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(withInterceptors([authInterceptor])),
        provideHttpClientTesting(),
        provideRouter([]),
        provideNoMaterialAnimations(),
      ],
    });
    registerIcons();
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(MappingsPage);
    fixture.componentRef.setInput('project', '101');
    await settle();
    backend.expectOne(BASE).flush({ items: SUMMARIES });
    await settle();
    backend.expectOne(CURRENT_URL).flush(mapping);
    backend.expectOne(`${BASE}/101/fields`).flush(CATALOG);
    await settle();
  }

  afterEach(() => {
    backend.verify();
    clearOverlays();
  });

  function lines(): HTMLElement[] {
    return Array.from(
      (fixture.nativeElement as HTMLElement).querySelectorAll('[data-testid="mapping-line"]'),
    );
  }

  function inLine(line: HTMLElement | undefined, testId: string): HTMLElement | null {
    return line?.querySelector<HTMLElement>(`[data-testid="${testId}"]`) ?? null;
  }

  function inputValue(line: HTMLElement | undefined, testId: string): string {
    return (inLine(line, testId) as HTMLInputElement | null)?.value ?? '';
  }

  function saveRequest(): TestRequest {
    byTestId(fixture, 'mapping-save').click();
    return backend.expectOne((req) => req.method === 'PUT' && req.url === CURRENT_URL);
  }

  it('shows each line of the mapping with field names from the catalog and its transform', async () => {
    await open('admin');
    const [name, phone, city] = lines();

    expect(lines()).toHaveLength(3);
    expect(inputValue(name, 'mapping-line-source')).toBe('Имя контакта');
    expect(inputValue(name, 'mapping-line-target')).toBe('Имя');
    expect(text(inLine(name, 'mapping-line-transform-type'))).toBe('Убрать пробелы по краям');
    expect(inputValue(phone, 'mapping-line-source')).toBe('Телефоны');
    expect(text(inLine(phone, 'mapping-line-transform-type'))).toBe('Телефон (+7…)');
    expect(inputValue(city, 'mapping-line-target')).toBe('Город клиента');
    // The value map offers the target field's choices by name.
    expect(text(inLine(city, 'mapping-line-transform-map'))).toContain('Москва');
    expect(text(byTestId(fixture, 'mapping-version'))).toContain('Версия 3');
    expect(queryTestId(fixture, 'mapping-broken')).toBeNull();
  });

  it('saves the edited document as a new version and reloads it', async () => {
    await open('admin');
    // Pick another target by typing part of its name.
    const target = inLine(lines()[0], 'mapping-line-target') as HTMLInputElement;
    target.focus();
    typeInto(target, 'назв');
    await settle();
    const offered = Array.from(
      document.querySelectorAll<HTMLElement>(
        '.cdk-overlay-container [data-testid="mapping-line-target-option"]',
      ),
    );
    expect(offered.map((option) => option.getAttribute('data-ref'))).toEqual(['lead.name']);
    expect(text(offered[0] ?? null)).toBe('Название сделки · текст');
    offered[0]?.click();
    await settle();
    expect(target.value).toBe('Название сделки');

    inLine(lines()[1], 'mapping-line-remove')?.click();
    await settle();
    expect(lines()).toHaveLength(2);

    const request = saveRequest();
    const expected = documentOf();
    expected.lines[0] = { ...expected.lines[0], target: 'lead.name' };
    expected.lines.splice(1, 1);
    expect(request.request.body).toEqual(expected);

    request.flush(version(4, 'save'));
    await settle();
    backend.expectOne(CURRENT_URL).flush({ ...current([], 4), document: expected });
    backend.expectOne(`${BASE}/101/fields`).flush(CATALOG);
    await settle();
    expect(text(byTestId(fixture, 'mapping-version'))).toContain('Версия 4');
    expect(document.body.textContent).toContain('Сохранили. Теперь действует версия 4.');
  });

  it('shows the place a refused save names on that line, in simple words', async () => {
    await open('admin');
    inLine(lines()[0], 'mapping-line-remove')?.click();
    await settle();

    saveRequest().flush(
      ...problem(400, {
        errors: [
          { field: 'lines[1].target', message: 'lines[1].target: unknown field', code: 'unknownField' },
        ],
      }),
    );
    await settle();

    const [first, second] = lines();
    expect(second?.classList).toContain('refused');
    expect(text(inLine(second, 'mapping-line-target-error'))).toBe('Такого поля нет.');
    expect(first?.classList).not.toContain('refused');
    expect(inLine(first, 'mapping-line-target-error')).toBeNull();
    expect(queryTestId(fixture, 'mapping-save-refused')).not.toBeNull();
  });

  it('marks a broken line with the reason, and keeps an unknown reason in the server words', async () => {
    await open(
      'admin',
      current([
        {
          path: 'lines[2].transform.map[0].to',
          message: 'option 9001 no longer exists',
          code: 'enumOptionMissing',
        },
        { path: 'lines[1].source', message: 'contact.phone is odd', code: 'somethingNew' },
      ]),
    );
    const [name, phone, city] = lines();

    expect(city?.classList).toContain('broken');
    expect(text(inLine(city, 'mapping-line-transform-error'))).toBe('Такого варианта в списке больше нет.');
    expect(phone?.classList).toContain('broken');
    expect(text(inLine(phone, 'mapping-line-source-error'))).toBe('contact.phone is odd');
    expect(name?.classList).not.toContain('broken');
    expect(text(byTestId(fixture, 'mapping-broken'))).toContain('2');
  });

  it('shows a field deleted in the CRM by its reference, marked as gone', async () => {
    const mapping = current([
      {
        path: 'lines[0].target',
        message: 'amoCRM has no field 999 (contact.custom.999)',
        code: 'fieldMissing',
      },
    ]);
    mapping.document.lines[0] = { ...mapping.document.lines[0], target: 'contact.custom.999' };
    await open('admin', mapping);
    const [first] = lines();

    expect(inputValue(first, 'mapping-line-target')).toBe('contact.custom.999 — нет в CRM');
    expect(text(inLine(first, 'mapping-line-target-error'))).toContain('Этого поля больше нет в CRM');
    expect(first?.classList).toContain('broken');
  });

  it('asks before another mapping replaces unsaved changes', async () => {
    await open('admin');
    const router = TestBed.inject(Router);
    inLine(lines()[0], 'mapping-line-remove')?.click();
    await settle();

    byTestId(fixture, 'mappings-direction-amocrm_to_lptracker').querySelector('button')?.click();
    await settle();
    overlayTestId('confirm-cancel').click();
    await settle();
    expect(router.url).toBe('/');
    expect(lines()).toHaveLength(2);
    expect(
      byTestId(fixture, 'mappings-direction-lptracker_to_amocrm').classList.contains(
        'mat-button-toggle-checked',
      ),
    ).toBe(true);

    byTestId(fixture, 'mappings-direction-amocrm_to_lptracker').querySelector('button')?.click();
    await settle();
    overlayTestId('confirm-ok').click();
    await settle();
    expect(router.url).toBe('/?project=101&direction=amocrm_to_lptracker');
  });

  it('restores an older version only after the admin confirms', async () => {
    await open('admin');
    byTestId(fixture, 'mapping-history').click();
    await settle();
    backend
      .expectOne((req) => req.url === `${CURRENT_URL}/versions`)
      .flush({
        items: [version(3, 'save'), version(2, 'restore:1'), version(1, 'default')],
        total: 3,
        page: 1,
        limit: 50,
      });
    await settle();

    const rows = Array.from(document.querySelectorAll<HTMLElement>('[data-testid="mapping-version-row"]'));
    expect(rows.map((row) => row.getAttribute('data-version'))).toEqual(['3', '2', '1']);
    expect(text(rows[1] ?? null)).toContain('Возвращена версия 1');
    expect(rows[0]?.querySelector('[data-testid="mapping-version-restore"]')).toBeNull();

    rows[2]?.querySelector<HTMLElement>('[data-testid="mapping-version-restore"]')?.click();
    await settle();
    expect(text(overlayTestId('confirm-ok').closest('mat-dialog-container'))).toContain('Вернуть версию 1?');
    overlayTestId('confirm-cancel').click();
    await settle();
    backend.expectNone((req) => req.method === 'POST');

    rows[2]?.querySelector<HTMLElement>('[data-testid="mapping-version-restore"]')?.click();
    await settle();
    overlayTestId('confirm-ok').click();
    await settle();
    backend
      .expectOne({ method: 'POST', url: `${CURRENT_URL}/versions/1/restore` })
      .flush(version(4, 'restore:1'));
    await settle();

    expect(queryOverlayTestId('mapping-history-sheet')).toBeNull();
    backend.expectOne(CURRENT_URL).flush(current([], 4));
    backend.expectOne(`${BASE}/101/fields`).flush(CATALOG);
    await settle();
    expect(text(byTestId(fixture, 'mapping-version'))).toContain('Версия 4');
  });

  it('shows managers the mapping read-only: no save, no adding, pickers locked', async () => {
    await open('manager');

    expect(lines()).toHaveLength(3);
    expect(queryTestId(fixture, 'mapping-save')).toBeNull();
    expect(queryTestId(fixture, 'mapping-add-line')).toBeNull();
    expect(queryTestId(fixture, 'mapping-line-remove')).toBeNull();
    expect((inLine(lines()[0], 'mapping-line-source') as HTMLInputElement).disabled).toBe(true);
    expect(queryTestId(fixture, 'mapping-read-only')).not.toBeNull();
  });

  it('previews the draft on the newest event, or says there is none yet', async () => {
    await open('admin');
    byTestId(fixture, 'mapping-preview-run').click();
    const first = backend.expectOne({ method: 'POST', url: `${CURRENT_URL}/preview` });
    expect(first.request.body).toEqual({ document: documentOf() });
    first.flush(...problem(404, { detail: 'no event' }));
    await settle();
    expect(text(byTestId(fixture, 'mapping-preview-no-event'))).toContain('ещё не пришло ни одной заявки');

    byTestId(fixture, 'mapping-preview-run').click();
    backend.expectOne({ method: 'POST', url: `${CURRENT_URL}/preview` }).flush({
      eventId: 'e-1',
      leadId: 5551,
      plan: {
        contact: { name: 'Анна', phones: ['+79991234567'], emails: [], customFields: [] },
        lead: {
          name: 'Заявка с сайта',
          price: null,
          tags: [],
          responsibleUserId: 77,
          pipelineId: 10,
          statusId: 100,
          customFields: [{ fieldId: 501, values: [{ enumId: 9001 }] }],
        },
        written: [],
        problems: [],
      },
    });
    await settle();
    const values = Array.from(
      (fixture.nativeElement as HTMLElement).querySelectorAll('[data-testid="mapping-preview-value"]'),
    ).map((value) => [text(value.previousElementSibling), text(value)]);
    expect(values).toEqual(
      expect.arrayContaining([
        ['Телефоны', '+79991234567'],
        ['Ответственный', 'Ирина Петрова'],
        ['Этап', 'Первичный контакт'],
        ['Город клиента', 'Москва'],
      ]),
    );
    expect(queryTestId(fixture, 'mapping-preview-no-event')).toBeNull();
    const event = byTestId(fixture, 'mapping-preview-event');
    expect(text(event)).toBe('Показано на заявке LPTracker №5551');
    expect(event.getAttribute('href')).toBe('/events?open=e-1');

    // A draft the server cannot read: the place it names, in simple words where known.
    byTestId(fixture, 'mapping-preview-run').click();
    backend.expectOne({ method: 'POST', url: `${CURRENT_URL}/preview` }).flush(
      ...problem(400, {
        errors: [{ field: 'document.lines[0].source', code: 'sourceMissing', message: 'no source' }],
      }),
    );
    await settle();
    expect(text(byTestId(fixture, 'mapping-preview-refused'))).toBe(
      'Выберите, откуда брать значение. (lines[0].source)',
    );
  });
});
