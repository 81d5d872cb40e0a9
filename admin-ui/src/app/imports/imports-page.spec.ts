import { HttpEventType, provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import { vi } from 'vitest';

import { problem } from '../../testing/amocrm-fixtures';
import { clearOverlays, provideNoMaterialAnimations, settle } from '../../testing/overlay-helpers';
import {
  byTestId,
  makeUser,
  queryTestId,
  registerIcons,
  storeSession,
  text,
} from '../../testing/test-helpers';
import type { Role } from '../core/auth/auth.models';
import { BlobSaver } from '../shared/export/blob-saver';
import ImportsPage from './imports-page';
import type { AmocrmTargetField, ImportDetails } from './imports.models';
import { IMPORT_ID, details, progress, sse, summary } from './imports.fixtures';

const HISTORY = '/api/v1/imports?page=1&limit=20';
const URL = `/api/v1/imports/${IMPORT_ID}`;

describe('ImportsPage', () => {
  let fixture: ComponentFixture<ImportsPage>;
  let backend: HttpTestingController;
  let saved: { blob: Blob; name: string }[];

  async function render(
    id?: string,
    opened: ImportDetails = details(),
    role: Role = 'manager',
    amoFields: AmocrmTargetField[] = [],
  ): Promise<void> {
    localStorage.clear();
    storeSession(makeUser(role));
    saved = [];
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideRouter([]),
        provideNoMaterialAnimations(),
        { provide: BlobSaver, useValue: { save: (blob: Blob, name: string) => saved.push({ blob, name }) } },
      ],
    });
    registerIcons();
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(ImportsPage);
    if (id) fixture.componentRef.setInput('id', id);
    await fixture.whenStable();
    backend.expectOne(HISTORY).flush({ items: [summary()], total: 1, page: 1, limit: 20 });
    if (id && role !== 'viewer') {
      backend.expectOne(URL).flush(opened);
      fixture.detectChanges(); // the setup asks for the templates (the page is not stable before they come)
      if (opened.status === 'uploaded') {
        backend.expectOne('/api/v1/imports/templates').flush({ items: [] });
        // target amoCRM (the default): its custom fields are asked for
        backend.expectOne('/api/v1/imports/amocrm/fields').flush({ items: amoFields });
      }
    }
    await settle();
  }

  async function pickFile(name: string): Promise<void> {
    const input = byTestId(fixture, 'import-file-input') as HTMLInputElement;
    const file = new File(['Имя;Телефон\nАнна;+79161234567\n'], name, { type: 'text/csv' });
    Object.defineProperty(input, 'files', { value: { item: () => file, length: 1 }, configurable: true });
    input.dispatchEvent(new Event('change'));
    await settle();
  }

  async function choose(select: HTMLElement, option: string): Promise<void> {
    (select.querySelector<HTMLElement>('.mat-mdc-select-trigger') ?? select).click();
    await settle();
    const options = Array.from(document.querySelectorAll<HTMLElement>('.cdk-overlay-container mat-option'));
    const found = options.find((element) => text(element) === option);
    if (!found) throw new Error(`No option «${option}» in ${options.map(text).join(', ')}`);
    found.click();
    await settle();
  }

  afterEach(() => {
    backend.verify();
    clearOverlays();
  });

  it('uploads a picked file as the multipart field «file», opens it and lists the history with counts', async () => {
    await render();
    const row = byTestId(fixture, 'import-history-row');
    expect(text(row)).toContain('лиды.csv');
    expect(text(byTestId(fixture, 'import-history-counts'))).toBe(
      'создано 2, обновлено 0, пропущено 0, с ошибкой 1',
    );
    const navigate = vi.spyOn(TestBed.inject(Router), 'navigate').mockResolvedValue(true);

    await pickFile('лиды.csv');
    const upload = backend.expectOne((req) => req.method === 'POST' && req.url === '/api/v1/imports');
    const body = upload.request.body as FormData;
    expect((body.get('file') as File).name).toBe('лиды.csv');
    upload.flush(details());
    await settle();
    backend.expectOne(HISTORY).flush({ items: [], total: 0, page: 1, limit: 20 });
    expect(navigate).toHaveBeenCalledWith(['/imports', IMPORT_ID]);
  });

  it('says in words why a file was refused: too large (413), a zip bomb, not a spreadsheet', async () => {
    await render();
    const cases: [Record<string, unknown>, number, string][] = [
      [
        { detail: 'The file is larger than 50 MB, the most an import takes (IMPORT_MAX_MB).' },
        413,
        'Файл слишком большой. Excel (.xlsx, .xls) или CSV, до 50 МБ',
      ],
      [{ errors: [{ field: 'file', code: 'zip_bomb', message: 'x' }] }, 400, 'zip-бомбу'],
      [{ errors: [{ field: 'file', code: 'wrongType', message: 'x' }] }, 400, 'Это не таблица Excel или CSV'],
    ];
    for (const [body, status, words] of cases) {
      await pickFile('big.xlsx');
      backend.expectOne('/api/v1/imports').flush(...problem(status, body));
      await settle();
      expect(text(byTestId(fixture, 'import-upload-error'))).toContain(words);
    }
  });

  it('shows the columns with their first rows and suggested fields, follows the kind, saves the mapping and starts', async () => {
    await render(IMPORT_ID);
    const rows = Array.from(
      (fixture.nativeElement as HTMLElement).querySelectorAll('[data-testid="import-mapping-row"]'),
    ).map((row) => Array.from(row.querySelectorAll('th, .sample, mat-select')).map(text));
    expect(rows).toEqual([
      ['A Имя', 'Анна', 'Борис', 'Контакт: имя'],
      ['B Телефон', '+79161234567', '+79161234568', 'Контакт: телефон'],
      ['C Заметка', 'первая', 'Не загружать'],
    ]);

    // calls need a start time: the button waits for it
    await choose(byTestId(fixture, 'import-kind'), 'Результаты звонков');
    expect(text(byTestId(fixture, 'import-missing'))).toContain('телефоном и временем звонка');
    expect((byTestId(fixture, 'import-start') as HTMLButtonElement).disabled).toBe(true);
    await choose(byTestId(fixture, 'import-kind'), 'Контакты');
    const fields = fixture.nativeElement.querySelectorAll(
      '[data-testid="import-field"]',
    ) as NodeListOf<HTMLElement>;
    await choose(fields[2], 'Контакт: e-mail');
    await choose(byTestId(fixture, 'import-dedupe'), 'Обновить');
    byTestId(fixture, 'import-dry-run').querySelector('input')!.click();
    await settle();
    expect(text(byTestId(fixture, 'import-start'))).toBe('Начать пробный запуск');

    byTestId(fixture, 'import-start').click();
    const put = backend.expectOne(`${URL}/mapping`);
    expect(put.request.method).toBe('PUT');
    expect(put.request.body).toEqual({
      kind: 'contacts',
      target: 'amocrm',
      columns: { Имя: 'contact.name', Телефон: 'contact.phone', Заметка: 'contact.email' },
      dedupe: 'update',
      dryRun: true,
    });
    put.flush(details());
    backend.expectOne(`${URL}/start`).flush(progress({ status: 'parsing', staged: false, dryRun: true }));
    backend.expectOne(HISTORY).flush({ items: [summary()], total: 1, page: 1, limit: 20 });
    await settle();
    expect(byTestId(fixture, 'import-run').dataset['status']).toBe('parsing');
    expect(text(byTestId(fixture, 'import-run-dry'))).toContain('ничего не записывается');
    backend.expectOne(`${URL}/stream`);
  });

  it('LPTracker target: asks for the project when several are enabled, offers its custom fields and sends projectId', async () => {
    await render(IMPORT_ID);
    await choose(byTestId(fixture, 'import-kind'), 'Лиды');
    // the projects are asked for once LPTracker is picked (the page is not stable before they come)
    byTestId(fixture, 'import-target').querySelector<HTMLElement>('.mat-mdc-select-trigger')!.click();
    await settle();
    Array.from(document.querySelectorAll<HTMLElement>('.cdk-overlay-container mat-option'))
      .find((option) => text(option) === 'LPTracker')!
      .click();
    fixture.detectChanges();
    backend.expectOne('/api/v1/imports/lptracker/projects').flush({
      items: [
        {
          id: 1001,
          name: 'Окна',
          fields: [
            { field: 'lead.name', name: null },
            { field: 'lead.custom.11', name: 'Бюджет' },
          ],
        },
        {
          id: 2002,
          name: 'Второй сайт',
          fields: [
            { field: 'lead.name', name: null },
            { field: 'lead.custom.77', name: 'Город' },
            { field: 'contact.field.5', name: 'Должность' },
          ],
        },
      ],
    });
    await settle();
    // two projects and none picked: the button waits
    expect(text(byTestId(fixture, 'import-missing'))).toBe(
      'Выберите проект LPTracker: в нём создаются лиды.',
    );
    expect((byTestId(fixture, 'import-start') as HTMLButtonElement).disabled).toBe(true);
    await choose(byTestId(fixture, 'import-project'), 'Второй сайт');
    expect(queryTestId(fixture, 'import-missing')).toBeNull();

    const fields = fixture.nativeElement.querySelectorAll(
      '[data-testid="import-field"]',
    ) as NodeListOf<HTMLElement>;
    fields[2].querySelector<HTMLElement>('.mat-mdc-select-trigger')!.click();
    await settle();
    const offered = Array.from(
      document.querySelectorAll<HTMLElement>('.cdk-overlay-container mat-option'),
    ).map(text);
    expect(offered).toEqual(expect.arrayContaining(['Лид LPTracker: Город', 'Контакт LPTracker: Должность']));
    expect(offered).not.toContain('Лид LPTracker: Бюджет');
    Array.from(document.querySelectorAll<HTMLElement>('.cdk-overlay-container mat-option'))
      .find((option) => text(option) === 'Лид LPTracker: Город')!
      .click();
    await settle();

    byTestId(fixture, 'import-start').click();
    const put = backend.expectOne(`${URL}/mapping`);
    expect(put.request.body).toEqual({
      kind: 'leads',
      target: 'lptracker',
      columns: { Имя: 'contact.name', Телефон: 'contact.phone', Заметка: 'lead.custom.77' },
      dedupe: 'skip',
      dryRun: false,
      projectId: 2002,
    });
    put.flush(
      ...problem(400, {
        errors: [
          {
            field: 'projectId',
            code: 'unknownProject',
            message: 'projectId: 2002 is not an enabled project',
          },
        ],
      }),
    );
    await settle();
    expect(text(byTestId(fixture, 'import-setup-error'))).toBe(
      'Импорт не запустился. Проект LPTracker не выбран или отключён: выберите проект.',
    );
  });

  it('amoCRM target: offers the custom fields of contacts (and of leads for leads), sends them, explains an unknown one', async () => {
    await render(IMPORT_ID, details(), 'manager', [
      { field: 'contact.custom.21', name: 'Возраст', type: 'numeric', entity: 'contact', options: null },
      {
        field: 'lead.custom.31',
        name: 'Город',
        type: 'select',
        entity: 'lead',
        options: [{ id: 1, value: 'Москва' }],
      },
    ]);
    const offered = async (): Promise<string[]> => {
      const fields = fixture.nativeElement.querySelectorAll(
        '[data-testid="import-field"]',
      ) as NodeListOf<HTMLElement>;
      fields[2].querySelector<HTMLElement>('.mat-mdc-select-trigger')!.click();
      await settle();
      const options = Array.from(
        document.querySelectorAll<HTMLElement>('.cdk-overlay-container mat-option'),
      ).map(text);
      document.querySelector<HTMLElement>('.cdk-overlay-backdrop')?.click();
      await settle();
      return options;
    };
    // contacts: the contact's fields only
    const forContacts = await offered();
    expect(forContacts).toContain('Контакт amoCRM: Возраст');
    expect(forContacts).not.toContain('Сделка amoCRM: Город');
    await choose(byTestId(fixture, 'import-kind'), 'Лиды');
    expect(await offered()).toEqual(
      expect.arrayContaining(['Контакт amoCRM: Возраст', 'Сделка amoCRM: Город']),
    );
    const fields = fixture.nativeElement.querySelectorAll(
      '[data-testid="import-field"]',
    ) as NodeListOf<HTMLElement>;
    await choose(fields[2], 'Сделка amoCRM: Город');

    byTestId(fixture, 'import-start').click();
    const put = backend.expectOne(`${URL}/mapping`);
    expect(put.request.body).toEqual({
      kind: 'leads',
      target: 'amocrm',
      columns: { Имя: 'contact.name', Телефон: 'contact.phone', Заметка: 'lead.custom.31' },
      dedupe: 'skip',
      dryRun: false,
    });
    put.flush(
      ...problem(400, {
        errors: [
          {
            field: 'columns.Заметка',
            code: 'unknownField',
            message: 'columns.Заметка: amoCRM has no lead field 31',
          },
        ],
      }),
    );
    await settle();
    expect(text(byTestId(fixture, 'import-setup-error'))).toContain(
      'Столбец «Заметка»: это поле не подходит к тому, что загружаем.',
    );
  });

  it('explains a refused mapping and a refused start in words next to the button', async () => {
    await render(IMPORT_ID);
    byTestId(fixture, 'import-start').click();
    backend.expectOne(`${URL}/mapping`).flush(
      ...problem(400, {
        errors: [
          {
            field: 'columns.Имя',
            code: 'unknownColumn',
            message: 'columns.Имя: the file has no column named "Имя"',
          },
        ],
      }),
    );
    await settle();
    expect(text(byTestId(fixture, 'import-setup-error'))).toBe(
      'Импорт не запустился. В файле нет столбца «Имя».',
    );
    byTestId(fixture, 'import-start').click();
    backend.expectOne(`${URL}/mapping`).flush(details());
    backend.expectOne(`${URL}/start`).flush(...problem(409, { detail: 'The import was started already.' }));
    await settle();
    expect(text(byTestId(fixture, 'import-setup-error'))).toBe(
      'Импорт не запустился. The import was started already.',
    );
  });

  it('moves the progress bar with the live stream, pauses and resumes, then offers the report', async () => {
    await render(IMPORT_ID, details({ status: 'processing', progress: progress() }));
    const stream = backend.expectOne(`${URL}/stream`);
    expect(stream.request.responseType).toBe('text');
    const first = sse(progress({ processed: 50, created: 48, failed: 2 }));
    stream.event({ type: HttpEventType.DownloadProgress, loaded: first.length, partialText: first });
    await settle();
    expect(byTestId(fixture, 'import-progress').dataset['percent']).toBe('25');
    expect(text(byTestId(fixture, 'import-percent'))).toBe('25 %');
    expect(text(byTestId(fixture, 'import-count-created'))).toBe('48');
    expect(text(byTestId(fixture, 'import-count-failed'))).toBe('2');
    expect(text(byTestId(fixture, 'import-eta'))).toContain('Закончим примерно в');

    byTestId(fixture, 'import-pause').click();
    backend
      .expectOne(`${URL}/pause`)
      .flush(progress({ status: 'paused', processed: 50, created: 48, failed: 2 }));
    await settle();
    expect(text(byTestId(fixture, 'import-run-status'))).toBe('На паузе');
    byTestId(fixture, 'import-resume').click();
    backend.expectOne(`${URL}/resume`).flush(progress({ processed: 50, created: 48, failed: 2 }));

    const end = first + sse(progress({ status: 'done', processed: 200, created: 197, failed: 3, eta: null }));
    stream.event({ type: HttpEventType.DownloadProgress, loaded: end.length, partialText: end });
    stream.flush(end);
    backend.expectOne(HISTORY).flush({ items: [summary()], total: 1, page: 1, limit: 20 });
    await settle();
    expect(byTestId(fixture, 'import-progress').dataset['percent']).toBe('100');
    expect(queryTestId(fixture, 'import-pause')).toBeNull();
    expect(queryTestId(fixture, 'import-cancel')).toBeNull();

    byTestId(fixture, 'import-report').click();
    backend.expectOne(`${URL}/report.xlsx`).flush(new Blob(['xlsx']), {
      headers: { 'Content-Disposition': "attachment; filename*=UTF-8''%D0%BE%D1%82%D1%87%D1%91%D1%82.xlsx" },
    });
    await settle();
    expect(saved.map((file) => file.name)).toEqual(['отчёт.xlsx']);
  });

  it('shows a viewer the history only: no upload, no import opened', async () => {
    await render(IMPORT_ID, details(), 'viewer');
    expect(text(byTestId(fixture, 'import-read-only'))).toContain('администраторы и менеджеры');
    expect(queryTestId(fixture, 'import-drop')).toBeNull();
    expect(queryTestId(fixture, 'import-setup')).toBeNull();
    expect(text(byTestId(fixture, 'import-history-row'))).toContain('лиды.csv');
  });
});
